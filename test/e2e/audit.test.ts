import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../src/main/appServices'
import { createUiServer, type UiServer } from '../../src/main/bridge'
import { createCommandHandlers, subscribeWorkbenchEvents } from '../../src/main/commands'
import { createWorkbench, type Workbench } from '../../src/main/core'
import { startPerToolServer, type PerToolServer } from '../audit/fixtures/perToolServer'
import { CHROMIUM_PATH } from './harness'

// The Audit screen as a user drives it in browser mode: audit the Workbench's own server as a test
// user, watch the
// checks arrive, open the evidence, run again and read the comparison with the last run.

let dir: string
let workbench: Workbench
let app: AppServices
let ui: UiServer
let browser: Browser
let page: Page
const pageErrors: string[] = []
const SHOT_DIR = process.env.AUDIT_SCREENSHOT_DIR ?? tmpdir()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbench-audit-e2e-'))
  await writeFile(join(dir, 'config.json'), JSON.stringify({ server: { port: 0 } }))
  workbench = await createWorkbench({
    configPath: join(dir, 'config.json'),
    dataDir: join(dir, 'data'),
  })
  await workbench.start()
  await workbench.ready()
  app = createAppServices({
    workbench,
    dataDir: join(dir, 'data'),
    mode: 'browser',
    openUrl: () => {},
  })
  ui = await createUiServer({
    handlers: createCommandHandlers(app.services),
    events: (emit) => subscribeWorkbenchEvents(app.services, emit),
    staticDir: resolve('out/renderer'),
  })
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  page = await (await browser.newContext({ viewport: { width: 1360, height: 1000 } })).newPage()
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()))
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await page.goto(ui.url)
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
})

let broken: PerToolServer | undefined

afterAll(async () => {
  await broken?.close()
  await browser?.close()
  await ui?.close()
  await app?.close()
  await workbench?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('Audit screen', () => {
  it(
    'audits the Workbench as a test user: progress, announced forged tokens, grouped checks ' +
      'with evidence, verdicts',
    async () => {
      await page.keyboard.press('Control+8')
      await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor()
      await expect.poll(() => page.getByLabel('MCP URL').inputValue()).toBe(workbench.mcpUrl())
      await page.getByLabel('Identity').selectOption('testUser')
      await page.getByRole('button', { name: 'Run audit' }).click()
      await page.getByRole('status').filter({ hasText: 'Sending 3 forged tokens' }).waitFor()
      await page.getByRole('heading', { name: 'Verdict' }).waitFor({ timeout: 60_000 })

      const verdict = page
        .getByRole('heading', { name: 'Verdict' })
        .locator('xpath=ancestor::section')
      await expect
        .poll(() => verdict.textContent())
        .toMatch(/ChatGPT: sign-in will work for .*protected-widget/)
      expect(await verdict.textContent()).toContain('First audit of this server')
      for (const group of [
        'Discovery',
        'Authorization server',
        'Token handling',
        'Transport and safety',
      ]) {
        expect(
          await page.getByRole('list', { name: group }).getByRole('listitem').count(),
          group,
        ).toBeGreaterThan(0)
      }
      // Per tool: one block per tool with its worst status and what it declares.
      const protectedTool = page.getByRole('region', { name: 'Tool protected-widget' })
      expect(await protectedTool.getByRole('heading').textContent()).toMatch(
        /protected-widget\s*pass\s*oauth2/,
      )
      expect(await protectedTool.getByRole('listitem').count()).toBe(3)
      expect(await page.locator('.audit-fail').count()).toBe(0)

      // Evidence: the exact exchange, the token redacted, copyable.
      const forged = page
        .getByRole('listitem')
        .filter({ hasText: 'A token with a wrong signature is refused' })
      await forged.locator('summary').first().click()
      const exchange = forged.locator('pre').first()
      await expect
        .poll(() => exchange.textContent())
        .toMatch(/authorization: Bearer \[redacted sha256:[0-9a-f]{8}\]/)
      expect(await exchange.textContent()).toMatch(/HTTP 401/)
      expect(await exchange.textContent()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/)
      expect(await forged.getByRole('button', { name: 'Copy exchange' }).count()).toBeGreaterThan(0)
      await page.screenshot({ path: join(SHOT_DIR, 'audit-evidence.png') })
      await forged.locator('summary').first().click()
      await page.getByRole('heading', { level: 1, name: 'Audit' }).scrollIntoViewIfNeeded()
      await page.screenshot({ path: join(SHOT_DIR, 'audit-screen.png') })
    },
  )

  it('a second run is compared with the first', async () => {
    await page.getByRole('button', { name: 'Run audit' }).click()
    await page
      .getByRole('note', { name: 'Comparison with the last audit' })
      .waitFor({ timeout: 60_000 })
    expect(
      await page.getByRole('note', { name: 'Comparison with the last audit' }).textContent(),
    ).toContain('Fixed since last audit: 0, new: 0')
    await page.screenshot({ path: join(SHOT_DIR, 'audit-compared.png') })
    expect(pageErrors).toEqual([])
  })

  it('a broken server typed in: failures with fixes, the pasted token shown nowhere', async () => {
    broken = await startPerToolServer({ metaOnlySchemes: true, noHint: true })
    const token = await broken.mint()
    await page.getByLabel('MCP URL').fill(broken.url)
    await page.getByLabel('Identity').selectOption('token')
    await page.getByLabel('Access token').fill(token)
    await page.getByRole('button', { name: 'Run audit' }).click()
    await page.getByRole('heading', { name: 'Verdict' }).waitFor({ timeout: 60_000 })
    const verdict = page
      .getByRole('heading', { name: 'Verdict' })
      .locator('xpath=ancestor::section')
    await expect.poll(() => verdict.textContent()).toContain('past_orders will fail because')
    const tool = page.getByRole('region', { name: 'Tool past_orders' })
    expect(await tool.getByRole('heading').textContent()).toMatch(/past_orders\s*fail\s*oauth2/)
    const anonymous = tool
      .getByRole('listitem')
      .filter({ hasText: 'An anonymous call behaves as declared' })
    await anonymous.locator('summary').first().click()
    await expect
      .poll(() => anonymous.textContent())
      .toContain('Fix: Answer an anonymous call with isError')
    expect(await anonymous.getByRole('button', { name: 'Copy fix' }).count()).toBe(1)
    // Shown nowhere: the evidence holds its fingerprint only (the password field keeps the paste).
    const signedIn = tool.getByRole('listitem').filter({ hasText: 'A call with the token runs' })
    await signedIn.locator('summary').first().click()
    const shown = await page.evaluate(() => document.body.innerText)
    expect(shown).not.toContain(token.split('.')[2])
    expect(shown).toMatch(/authorization: Bearer \[redacted sha256:[0-9a-f]{8}\]/)
    await page.screenshot({ path: join(SHOT_DIR, 'audit-broken-evidence.png') })
    await signedIn.locator('summary').first().click()
    await anonymous.locator('summary').first().click()
    await page.getByRole('heading', { name: 'Verdict' }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOT_DIR, 'audit-broken.png') })
    expect(pageErrors).toEqual([])
  })

  it("signs in through the server's own authorization server (a real sign-in tab)", async () => {
    await page.getByRole('button', { name: 'Use this Workbench' }).click()
    await page.getByLabel('Identity').selectOption('signIn')
    await page.getByRole('button', { name: 'Run audit' }).click()
    const link = page.getByRole('link', { name: 'Open the sign-in page' })
    await link.waitFor({ timeout: 30_000 })
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()])
    await tab.getByLabel(/Bob Basic/).check()
    await tab.getByRole('button', { name: 'Sign in' }).click()
    await tab.getByRole('button', { name: 'Allow' }).click()
    await page.getByRole('heading', { name: 'Verdict' }).waitFor({ timeout: 60_000 })
    const signIn = page
      .getByRole('listitem')
      .filter({ hasText: "Signing in through the server's own" })
    await expect
      .poll(() => signIn.textContent())
      .toMatch(/pass.*Signed in with scopes \[[^\]]*user/)
    expect(await page.locator('.audit-fail').count()).toBe(0)
    await tab.close()
  })
})
