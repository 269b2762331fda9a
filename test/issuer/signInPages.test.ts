import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser } from 'playwright-core'
import { createConnectClient, type ConnectClient } from '../../src/main/connect'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

const CHROMIUM_PATH = process.env.WORKBENCH_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
]

let fx: Fixture
let browser: Browser
let connect: ConnectClient | null = null

beforeAll(async () => {
  fx = await startWorkbench({})
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
})
afterAll(async () => {
  await connect?.close()
  await browser?.close()
  await fx?.close()
})

describe('sign-in and consent pages in Chromium', () => {
  it('lists the test users with the first pre-selected, shows the requested scopes, and signs in as the chosen user', async () => {
    const page = await browser.newPage()
    const seen: { users: string[]; checked: string | null; scopes: string[]; denied: string[] } = {
      users: [],
      checked: null,
      scopes: [],
      denied: [],
    }
    connect = createConnectClient({
      browserTimeoutMs: 30_000,
      openUrl: async (url) => {
        await page.goto(url)
        seen.users = await page
          .locator('input[name="subject"]')
          .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))
        seen.checked = await page.locator('input[name="subject"]:checked').getAttribute('value')
        await page.locator('label.user', { hasText: 'Bob Basic' }).click()
        await page.click('#sign-in')
        await page.waitForSelector('#allow')
        seen.scopes = await page.locator('ul.scopes .chip').allTextContents()
        seen.denied = await page.locator('ul.scopes .chip.denied').allTextContents()
        await page.click('#allow')
        await page.waitForURL(/127\.0\.0\.1:\d+\/callback/)
      },
    })
    const state = await connect.start(fx.workbench.mcpUrl(), { scope: 'user read:data' })
    expect(seen).toEqual({
      users: ['dev|alice', 'dev|bob'],
      checked: 'dev|alice',
      scopes: ['user', 'read:data', 'offline_access'],
      denied: ['read:data'],
    })
    expect(state).toMatchObject({
      state: 'connected',
      identity: { subject: 'dev|bob', scopes: ['user'] },
    })
    expect(await page.textContent('h1')).toBe('Signed in')
  })
})
