import { readFile } from 'node:fs/promises'
import type { Frame } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness, openScreen } from './harness'
import { signInOverHttp } from '../issuer/signInOverHttp'

let h: Harness
beforeAll(async () => {
  h = await startHarness({
    config: { auth: { issuer: 'dev' } },
    viewport: { width: 1024, height: 760 },
  })
})
afterAll(() => h?.close())

describe('Connect as ChatGPT in the Preview screen', () => {
  it('signs in with the ChatGPT profile and says where ChatGPT would change course against this issuer', async () => {
    const { page } = h
    await openScreen(page, 'Preview')
    await page.getByRole('combobox', { name: 'Widget' }).selectOption('protected-widget')
    await page.getByRole('combobox', { name: 'Call as' }).selectOption('anonymous')
    await page.getByRole('button', { name: 'Call widget' }).click()
    const region = page.getByRole('region', { name: 'Connect' })
    await region.getByRole('heading', { name: 'Sign-in required' }).waitFor()
    await region.getByText('Use a pre-registered client').click()
    await region.getByRole('textbox', { name: 'Client ID' }).waitFor()
    await page.screenshot({ path: '/tmp/connect-preregistered.png' })
    await region.getByText('Use a pre-registered client').click()
    await region.getByRole('checkbox', { name: /Connect as ChatGPT does/ }).check()
    await region.getByRole('button', { name: 'Connect', exact: true }).click()
    await expect.poll(() => h.openedUrls.length, { timeout: 15_000 }).toBeGreaterThan(0)
    const url = new URL(h.openedUrls[0])
    expect(new URL(url.searchParams.get('redirect_uri') as string).pathname).toBe(
      '/connector_platform_oauth_redirect',
    )
    // Without a tunnel the stand-in document is http: the registration step says ChatGPT would use CIMD.
    await region.getByText(/— ChatGPT would use its Client ID Metadata Document here/).waitFor()
    await region.getByText(/ChatGPT would stop or change course at: Client registration/).waitFor()
    await page.screenshot({ path: '/tmp/connect-chatgpt.png', fullPage: false })
    await signInOverHttp(url.href)
    await page
      .frameLocator('iframe[title="Widget protected-widget"]')
      .getByRole('heading', { name: 'Hello, Alice Admin!' })
      .waitFor({ timeout: 15_000 })
  }, 60_000)

  it("keeps the choice: saved in the config, and a widget's own sign-in connects with it too", async () => {
    const { page } = h
    const saved = JSON.parse(await readFile(h.configPath, 'utf8')) as Record<string, unknown>
    expect(saved).toMatchObject({ connect: { asChatGpt: true } })

    await page.getByRole('combobox', { name: 'Widget' }).selectOption('public-widget')
    await page.getByRole('combobox', { name: 'Call as' }).selectOption('anonymous')
    const before = new Set(page.frames())
    await page.getByRole('button', { name: 'Call widget' }).click()
    const newFrame = () =>
      page.frames().find((f) => !before.has(f) && f.url().endsWith('/widget-frame.html'))
    await expect.poll(newFrame, { timeout: 10_000 }).toBeTruthy()
    const frame: Frame = newFrame()!
    await frame.waitForFunction(() => 'openai' in window && document.readyState === 'complete')
    // The widget's own call to a protected tool gets the challenge: Preview shows Connect for it.
    const pending = frame.evaluate(() =>
      (
        window as unknown as {
          openai: { callTool(n: string, a: unknown): Promise<{ isError?: boolean }> }
        }
      ).openai.callTool('protected-widget', { message: 'from the widget' }),
    )
    const region = page.getByRole('region', { name: 'Widget sign-in' })
    await region.waitFor()
    expect(
      await region.getByRole('checkbox', { name: /Connect as ChatGPT does/ }).isChecked(),
    ).toBe(true)
    const opened = h.openedUrls.length
    await region.getByRole('button', { name: 'Use another account' }).click()
    await expect.poll(() => h.openedUrls.length, { timeout: 15_000 }).toBeGreaterThan(opened)
    const url = new URL(h.openedUrls[opened])
    expect(url.searchParams.get('prompt')).toBe('login')
    expect(new URL(url.searchParams.get('redirect_uri') as string).pathname).toBe(
      '/connector_platform_oauth_redirect',
    )
    await signInOverHttp(url.href)
    expect((await pending).isError ?? false).toBe(false)
  }, 60_000)
})
