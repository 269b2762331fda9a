import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Frame } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness, openScreen } from './harness'

// window.openai.requestModal in Preview (issue 13 item 11), in Debian Chromium, with a project widget.

const TEMPLATE = `<div id="root"></div><button type="button">Widget button</button><div id="tall"></div>
<script>
  function paint() {
    var view = window.openai.view || {}
    document.getElementById('root').textContent =
      view.mode === 'modal' ? 'Modal view ' + JSON.stringify(view.params) : 'Inline view'
    document.getElementById('tall').style.height = view.params && view.params.tall ? '2000px' : '0'
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
  await openScreen(h.page, 'Preview')
}, 60_000)
afterAll(async () => {
  await h?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const widgetFrames = (): Frame[] =>
  h.page.frames().filter((f) => f.url().endsWith('/widget-frame.html'))

/** Where focus is, seen from the page: the element, or for a frame the frame's own focused element. */
const focusIn = (frame?: Frame) =>
  (frame ?? h.page.mainFrame()).evaluate(() => {
    const e = document.activeElement
    return {
      tag: e?.tagName ?? null,
      text: e?.textContent ?? null,
      inDialog: !!e?.closest('[role="dialog"]'),
    }
  })

describe('requestModal (issue 13 item 11)', () => {
  it('opens the template in a modal dialog with view.mode "modal"; keyboard focus stays in it; Escape and requestClose close it', async () => {
    const page = h.page
    await page.getByRole('combobox', { name: 'Widget' }).selectOption('modal-widget')
    await page.getByRole('button', { name: 'Call widget' }).click()
    await expect.poll(() => widgetFrames().length, { timeout: 10_000 }).toBe(1)
    const inline = widgetFrames()[0]
    await inline.getByText('Inline view').waitFor()
    const widgetPicker = page.getByRole('combobox', { name: 'Widget' })
    await widgetPicker.focus()
    const focusIsBack = () => widgetPicker.evaluate((e) => e === document.activeElement)

    const open = (params: Record<string, unknown>) =>
      inline.evaluate(
        (p) =>
          (
            window as unknown as { openai: { requestModal(o: unknown): Promise<unknown> } }
          ).openai.requestModal({ params: p }),
        params,
      )
    const modalFrame = async (text: string): Promise<Frame> => {
      const frame = widgetFrames().find((f) => f !== inline)!
      await frame.getByText(text).waitFor()
      return frame
    }
    await open({ orderId: 42 })
    // The promise resolved: the modal is already there, its frame built like the inline one.
    const dialog = page.getByRole('dialog', { name: 'Modal of modal-widget' })
    expect(await dialog.isVisible()).toBe(true)
    expect(await dialog.getAttribute('aria-modal')).toBe('true')
    expect(await dialog.locator('iframe').getAttribute('sandbox')).toBe('allow-scripts')
    const modal = await modalFrame('Modal view {"orderId":42}')
    expect(await modal.evaluate(() => (window as unknown as { openai: unknown }).openai)).toEqual(
      expect.objectContaining({ view: { mode: 'modal', params: { orderId: 42 } } }),
    )
    // Focus moved into the dialog, on its first control; the app behind it is inert (no focus, clicks or reading).
    expect(await focusIn()).toMatchObject({ tag: 'BUTTON', text: 'Close', inDialog: true })
    const appInert = () => page.evaluate(() => document.getElementById('root')!.inert)
    expect(await appInert()).toBe(true)
    await widgetPicker.focus()
    expect(await focusIsBack()).toBe(false)
    // As tall as its two lines ask, from the inline frame's 160px floor (the old frame was a fixed 400px).
    const shortFrame = (await dialog.locator('iframe').boundingBox())!
    expect(shortFrame.height).toBeLessThan(200)
    await page.screenshot({ path: join(tmpdir(), 'preview-modal-short.png') })

    // Tab goes into the widget's frame, then wraps back to Close; Shift+Tab wraps the other way. Focus moving
    // into or out of the sandboxed frame (which Chromium may run in another process) can land a moment after
    // the key: polled.
    await page.keyboard.press('Tab')
    await expect.poll(() => focusIn()).toMatchObject({ tag: 'IFRAME', inDialog: true })
    await expect.poll(() => focusIn(modal)).toMatchObject({ text: 'Widget button' })
    await page.keyboard.press('Tab')
    await expect.poll(() => focusIn()).toMatchObject({ text: 'Close', inDialog: true })
    await page.keyboard.press('Shift+Tab')
    await expect.poll(() => focusIn()).toMatchObject({ tag: 'IFRAME', inDialog: true })
    await page.keyboard.press('Tab')
    expect(await focusIn()).toMatchObject({ inDialog: true })
    await page.keyboard.press('Shift+Tab')
    expect(await focusIn()).toMatchObject({ inDialog: true })

    // Escape with focus inside the modal's frame (the frame forwards it); focus goes back where it was.
    await page.getByRole('button', { name: 'Close' }).focus()
    await page.keyboard.press('Tab')
    await expect.poll(() => focusIn(modal)).toMatchObject({ text: 'Widget button' })
    await page.keyboard.down('Escape')
    await dialog.waitFor({ state: 'detached' })
    await page.keyboard.up('Escape')
    // The dialog leaves the DOM first; its frame is reported detached a moment later.
    await expect.poll(() => widgetFrames()).toEqual([inline])
    expect(await appInert()).toBe(false)
    expect(await focusIsBack()).toBe(true)

    // A tall widget: the dialog stops at the window and the frame scrolls inside.
    await open({ orderId: 43, tall: true })
    const tall = await modalFrame('Modal view {"orderId":43,"tall":true}')
    await expect
      .poll(async () => (await dialog.locator('iframe').boundingBox())!.height)
      .toBeGreaterThan(400)
    const box = (await dialog.boundingBox())!
    const viewport = page.viewportSize()!
    expect(box.y).toBeGreaterThanOrEqual(0)
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height)
    expect(
      await tall.evaluate(() => document.documentElement.scrollHeight > window.innerHeight),
    ).toBe(true)
    await page.screenshot({ path: join(tmpdir(), 'preview-modal-tall.png') })
    // Escape on the dialog's own controls.
    expect(await focusIn()).toMatchObject({ text: 'Close', inDialog: true })
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await focusIsBack()).toBe(true)

    await open({ orderId: 44 })
    const again = await modalFrame('Modal view {"orderId":44}')
    // The modal closes before the call could answer: the frame may be gone by then.
    await again
      .evaluate(() => {
        void (
          window as unknown as { openai: { requestClose(): Promise<void> } }
        ).openai.requestClose()
      })
      .catch(() => undefined)
    await dialog.waitFor({ state: 'detached' })
    expect(await focusIsBack()).toBe(true)
    await expect.poll(() => page.getByText('requestModal').count()).toBeGreaterThan(0)
  }, 60_000)
})
