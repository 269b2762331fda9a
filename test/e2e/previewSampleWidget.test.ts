import type { Frame } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness, openScreen } from './harness'

// An Apps SDK (window.openai) sample widget in Preview, in Debian Chromium, with the development issuer.

let h: Harness

beforeAll(async () => {
  h = await startHarness()
  await openScreen(h.page, 'Preview')
}, 60_000)
afterAll(async () => h?.close())

async function call(widget: string, identity = 'anonymous'): Promise<Frame> {
  const page = h.page
  await page.getByRole('combobox', { name: 'Widget' }).selectOption(widget)
  await page.getByRole('combobox', { name: 'Call as' }).selectOption(identity)
  const before = new Set(page.frames())
  await page.getByRole('button', { name: 'Call widget' }).click()
  await expect
    .poll(
      () => page.frames().find((f) => !before.has(f) && f.url().endsWith('/widget-frame.html')),
      { timeout: 10_000 },
    )
    .toBeTruthy()
  const frame = page.frames().find((f) => !before.has(f) && f.url().endsWith('/widget-frame.html'))!
  await frame.waitForFunction(() => 'openai' in window && document.readyState === 'complete')
  return frame
}

describe('window.openai widgets in Preview (issue 13)', () => {
  it('item 5: globals change over the private port; nothing but JSON-RPC reaches the window', async () => {
    const frame = await call('public-widget')
    await frame.evaluate(() => {
      const w = window as unknown as { seen: unknown[]; globals: unknown[] }
      w.seen = []
      w.globals = []
      addEventListener('message', (e) => w.seen.push(e.data))
      addEventListener('openai:set_globals', (e) =>
        w.globals.push((e as CustomEvent).detail.globals),
      )
    })
    await h.page
      .getByRole('radio', { name: 'Dark' })
      .or(h.page.getByRole('button', { name: 'Dark', exact: true }))
      .first()
      .click()
    await frame.waitForFunction(
      () => (window as unknown as { openai: { theme: string } }).openai.theme === 'dark',
    )
    const seen = await frame.evaluate(() => {
      const w = window as unknown as { seen: unknown[]; globals: unknown[] }
      return { seen: w.seen, globals: w.globals }
    })
    expect(seen.globals).toEqual([expect.objectContaining({ theme: 'dark' })])
    // This view never initialized the MCP Apps bridge: the window got nothing at all.
    expect(seen.seen).toEqual([])
    await h.page
      .getByRole('radio', { name: 'Light' })
      .or(h.page.getByRole('button', { name: 'Light', exact: true }))
      .first()
      .click()
  })

  it('item 12: widget state belongs to one instance; an unknown tool resolves to an error result', async () => {
    const first = await call('public-widget')
    await first.evaluate(() =>
      (
        window as unknown as { openai: { setWidgetState(s: unknown): Promise<void> } }
      ).openai.setWidgetState({ n: 1 }),
    )
    const second = await call('public-widget')
    expect(
      await second.evaluate(
        () => (window as unknown as { openai: { widgetState: unknown } }).openai.widgetState,
      ),
    ).toBeNull()
    const unknown = await second.evaluate(() =>
      (
        window as unknown as { openai: { callTool(n: string, a: unknown): Promise<unknown> } }
      ).openai.callTool('no-such-tool', {}),
    )
    expect(unknown).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: expect.stringMatching(/not found/) }],
    })
  })

  it('item 13: a widget call that gets the sign-in challenge shows Connect, and is retried signed in', async () => {
    const frame = await call('public-widget')
    const pending = frame.evaluate(() =>
      (
        window as unknown as {
          openai: {
            callTool(
              n: string,
              a: unknown,
            ): Promise<{ isError?: boolean; structuredContent?: Record<string, unknown> }>
          }
        }
      ).openai.callTool('protected-widget', { message: 'from the widget' }),
    )
    const region = h.page.getByRole('region', { name: 'Widget sign-in' })
    await region.waitFor()
    await region
      .getByRole('button', { name: /^Sign in as / })
      .first()
      .click()
    const result = await pending
    expect(result.isError ?? false).toBe(false)
    expect(JSON.stringify(result.structuredContent)).toMatch(/from the widget/)
    await expect.poll(() => region.count()).toBe(0)
  })

  it('issue 9 item 18: the raw console sends any method as the identity and shows the raw reply', async () => {
    const page = h.page
    await page.getByRole('combobox', { name: 'Call as' }).selectOption('anonymous')
    await page.getByLabel('Method', { exact: true }).fill('resources/list')
    await page.getByLabel('Params (JSON)').fill('{}')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    const reply = page.locator('.console-exchange').first()
    await expect
      .poll(() => reply.innerText())
      .toMatch(/"jsonrpc": "2.0"[\s\S]*ui:\/\/widget\/public-widget\.html/)
    await page.getByLabel('Method', { exact: true }).fill('no/such-method')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await expect.poll(() => page.locator('.console-exchange').first().innerText()).toMatch(/-32601/)
    await page.getByRole('button', { name: 'List resources' }).click()
    await page.getByRole('button', { name: 'ui://widget/public-widget.html' }).click()
    await expect.poll(() => page.locator('.preview-tools').innerText()).toMatch(/"text": "/)
  })
})
