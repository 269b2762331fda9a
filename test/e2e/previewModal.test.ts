import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Frame } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from './harness'

// window.openai.requestModal in Preview (issue 13 item 11), in Debian Chromium, with a project widget.

const TEMPLATE = `<div id="root"></div>
<script>
  function paint() {
    var view = window.openai.view || {}
    document.getElementById('root').textContent =
      view.mode === 'modal' ? 'Modal view ' + JSON.stringify(view.params) : 'Inline view'
  }
  window.addEventListener('openai:set_globals', paint)
</script>`

let h: Harness
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbench-modal-'))
  await mkdir(join(dir, 'modal-widget'))
  await writeFile(
    join(dir, 'modal-widget', 'widget.json'),
    JSON.stringify({ title: 'Modal Widget', description: 'Opens a modal', auth: { mode: 'none' } }),
  )
  await writeFile(join(dir, 'modal-widget', 'template.html'), TEMPLATE)
  await writeFile(
    join(dir, 'modal-widget', 'handler.js'),
    'export default function () { return { ok: true } }\n',
  )
  h = await startHarness({ config: { projectDir: dir } })
  await h.page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: /^Preview\b/ })
    .click()
}, 60_000)
afterAll(async () => {
  await h?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const widgetFrames = (): Frame[] =>
  h.page.frames().filter((f) => f.url().endsWith('/widget-frame.html'))

// One retry: the Escape-in-frame step has timed out once in ~15 runs on a loaded 2-core machine.
describe('requestModal (issue 13 item 11)', { retry: 1 }, () => {
  it('opens the template in a modal with view.mode "modal"; Escape and requestClose close it', async () => {
    const page = h.page
    await page.getByRole('combobox', { name: 'Widget' }).selectOption('modal-widget')
    await page.getByRole('button', { name: 'Call widget' }).click()
    await expect.poll(() => widgetFrames().length, { timeout: 10_000 }).toBe(1)
    const inline = widgetFrames()[0]
    await inline.getByText('Inline view').waitFor()
    await page.getByRole('combobox', { name: 'Widget' }).focus()

    const open = () =>
      inline.evaluate(() =>
        (
          window as unknown as { openai: { requestModal(o: unknown): Promise<unknown> } }
        ).openai.requestModal({ params: { orderId: 42 } }),
      )
    await open()
    // The promise resolved: the modal is already there, its frame built like the inline one.
    const dialog = page.getByRole('dialog', { name: /Modal of modal-widget/ })
    expect(await dialog.isVisible()).toBe(true)
    expect(await dialog.locator('iframe').getAttribute('sandbox')).toBe('allow-scripts')
    const modal = widgetFrames().find((f) => f !== inline)!
    await modal.getByText('Modal view {"orderId":42}').waitFor()
    expect(await modal.evaluate(() => (window as unknown as { openai: unknown }).openai)).toEqual(
      expect.objectContaining({ view: { mode: 'modal', params: { orderId: 42 } } }),
    )
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Close')
    await page.screenshot({ path: join(tmpdir(), 'preview-modal.png') })

    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(widgetFrames()).toEqual([inline])
    // Focus goes back where it was before the modal opened.
    expect(
      await page
        .getByRole('combobox', { name: 'Widget' })
        .evaluate((e) => e === document.activeElement),
    ).toBe(true)

    await open()
    const inside = widgetFrames().find((f) => f !== inline)!
    await inside.getByText('Modal view').click({ timeout: 5000 })
    // Escape with focus inside the modal's frame; the frame goes on keydown, so no keyup is sent to it.
    await page.keyboard.down('Escape')
    await dialog.waitFor({ state: 'detached' })
    await page.keyboard.up('Escape')

    await open()
    const again = widgetFrames().find((f) => f !== inline)!
    await again.waitForFunction(() => 'openai' in window)
    // The modal closes before the call could answer: the frame may be gone by then.
    await again
      .evaluate(() => {
        void (
          window as unknown as { openai: { requestClose(): Promise<void> } }
        ).openai.requestClose()
      })
      .catch(() => undefined)
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => page.getByText('requestModal').count()).toBeGreaterThan(0)
  }, 60_000)
})
