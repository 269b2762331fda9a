import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from './harness'
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
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: /^Preview\b/ })
      .click()
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
})
