import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from './harness'

// The shell's side of browser mode in a real Chromium: the built UI loads under the strict CSP, talks to the
// core over the authenticated bridge, and the widget frame is isolated. Screens are the renderer's tests.

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => {
  await h?.close()
})

describe('browser mode', () => {
  it('loads the UI and reaches the core over the bridge, with no CSP violation or page error', async () => {
    await h.page.getByRole('navigation', { name: 'Screens' }).waitFor()
    await h.page.getByText('Connecting to the Workbench…').waitFor({ state: 'hidden' })
    expect(await h.page.evaluate(() => 'workbench' in window)).toBe(false)
    expect(h.pageErrors).toEqual([])
  })

  it('does not let page script reach the bridge from another origin', async () => {
    const other = await h.context.newPage()
    await other.goto(`http://localhost:${h.workbench.port()}/.well-known/oauth-protected-resource`)
    const secret = h.ui.secret
    const outcome = await other.evaluate(
      ({ port, secret }) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge`, [
            'workbench-bridge.v1',
            `secret.${secret}`,
          ])
          ws.onopen = () => resolve('open')
          ws.onclose = () => resolve('refused')
        }),
      { port: h.ui.port, secret },
    )
    expect(outcome).toBe('refused')
    await other.close()
  })

  it('runs the widget frame in an opaque origin even when framed without a sandbox attribute', async () => {
    const origin = await h.page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const frame = document.createElement('iframe')
          window.addEventListener(
            'message',
            (e) => e.source === frame.contentWindow && resolve(e.origin),
          )
          frame.src = 'widget-frame.html'
          document.body.append(frame)
        }),
    )
    expect(origin).toBe('null')
  })

  it('refuses IPC-style scripting from page script without the secret', async () => {
    const status = await h.page.evaluate(
      async () =>
        (
          await fetch('/api/invoke/app:getState', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '[]',
          })
        ).status,
    )
    expect(status).toBe(401)
  })
})
