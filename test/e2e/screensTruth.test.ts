import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness, openScreen } from './harness'

// Issue 9's screen items in browser mode, in a 1024×700 window: what each screen says is what the
// server does.

let h: Harness
let page: Page
let widgetsDir: string

beforeAll(async () => {
  h = await startHarness({
    config: { auth: { issuer: 'dev' } },
    viewport: { width: 1024, height: 700 },
  })
  page = h.page
  await h.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(h.uiUrl).origin,
  })
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
  widgetsDir = await mkdtemp(join(tmpdir(), 'workbench-project-'))
  await cp(resolve('resources/sample-widgets/public-widget'), join(widgetsDir, 'hello-widget'), {
    recursive: true,
  })
})

afterAll(async () => {
  await h?.close()
  if (widgetsDir) await rm(widgetsDir, { recursive: true, force: true })
})

async function callAs(widget: string, identity: string): Promise<void> {
  await openScreen(page, 'Preview')
  await page.getByRole('combobox', { name: 'Widget' }).selectOption(widget)
  await page.getByRole('combobox', { name: 'Call as' }).selectOption(identity)
  await page.getByRole('button', { name: 'Call widget' }).click()
  await page
    .getByText(/Replayed as|Sign-in required|More permissions needed|Hello/)
    .first()
    .waitFor()
}

describe('Requests', () => {
  it('says "No requests match" for a filter that matches nothing, and clears it', async () => {
    await callAs('protected-widget', 'user:dev|bob')
    await openScreen(page, 'Requests')
    const grid = page.getByRole('grid', { name: 'Requests' })
    await page.getByLabel('Filter requests').fill('no-such-thing')
    await expect.poll(() => grid.textContent()).toContain('No requests match the filter.')
    expect(await grid.textContent()).not.toContain('No requests yet')
    await grid.getByRole('button', { name: 'Clear the filter' }).click()
    await expect.poll(() => page.getByLabel('Filter requests').inputValue()).toBe('')
    await expect.poll(() => grid.getByRole('row').count()).toBeGreaterThan(1)
  })

  it('keeps Verdict, Status and Latency visible beside the detail pane in 1024×700', async () => {
    const grid = page.getByRole('grid', { name: 'Requests' })
    await grid.getByRole('row').filter({ hasText: 'protected-widget' }).last().click()
    await page.getByRole('complementary', { name: 'Request detail' }).waitFor()
    const box = (await grid.boundingBox())!
    for (const column of ['Verdict', 'Status', 'Latency']) {
      const header = grid.getByRole('columnheader', { name: column })
      expect(await header.isVisible()).toBe(true)
      const cell = (await header.boundingBox())!
      expect(cell.x).toBeGreaterThanOrEqual(box.x)
      expect(cell.x + cell.width).toBeLessThanOrEqual(box.x + box.width)
    }
    const row = grid.getByRole('row').filter({ hasText: 'protected-widget' }).last()
    expect(await row.textContent()).toMatch(/missing scope\s*200\s*[\d.]+ ms/)
  })

  it('decides in one sentence and copies the request as curl with the token as $TOKEN', async () => {
    const detail = page.getByRole('complementary', { name: 'Request detail' })
    await expect
      .poll(() => detail.textContent())
      .toContain('Bob Basic lacks read:data, which protected-widget requires: step-up requested.')
    await detail.getByRole('button', { name: 'Copy as curl' }).click()
    await detail.getByText('Copied ✓').waitFor()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toMatch(/^curl 'http:\/\/127\.0\.0\.1:\d+\/mcp' /)
    expect(copied).toContain('"Authorization: Bearer $TOKEN"')
    expect(copied).toContain('"name":"protected-widget"')
    expect(copied).not.toMatch(/eyJ|redacted/)
  })

  it('shows fingerprints as they are, not upper-cased by a heading', async () => {
    const fingerprint = page
      .getByRole('complementary', { name: 'Request detail' })
      .getByText(/^sha256:[0-9a-f]{8}$/)
    expect(await fingerprint.evaluate((el) => getComputedStyle(el).textTransform)).toBe('none')
  })
})

describe('Tunnel', () => {
  it("refuses an http URL in the form with the server's reason", async () => {
    await openScreen(page, 'Tunnel')
    const input = page.getByRole('textbox', { name: 'Custom public URL' })
    await input.fill('http://mcp.example.com')
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'must use https' }).count())
      .toBe(1)
    expect(await page.getByRole('button', { name: 'Use', exact: true }).isDisabled()).toBe(true)
  })

  it('shows a custom URL in force everywhere, confirms it, keeps it, and ticks nothing until it answers', async () => {
    const input = page.getByRole('textbox', { name: 'Custom public URL' })
    await input.fill('https://example.test')
    await page.getByRole('button', { name: 'Use', exact: true }).click()
    await page.getByText('Public URL in force: https://example.test').waitFor()
    const connector = page.locator('.url-row').filter({ hasText: 'Connector URL' }).locator('code')
    await expect.poll(() => connector.textContent()).toBe('https://example.test/mcp')
    await expect
      .poll(() => page.getByRole('status', { name: 'Public URL check' }).textContent())
      .toMatch(/did not answer/)
    expect(h.workbench.status().publicUrl).toBe('https://example.test')
    await openScreen(page, 'Overview')
    await expect
      .poll(() =>
        page.locator('.url-row').filter({ hasText: 'Connector URL' }).locator('code').textContent(),
      )
      .toBe('https://example.test/mcp')
    const item = page.locator('.checklist li').filter({ hasText: 'Public connector URL' })
    expect(await item.textContent()).toContain('not done')
    expect(await item.textContent()).toContain('did not answer')
    await openScreen(page, 'Tunnel')
    expect(await input.inputValue()).toBe('https://example.test')
  })

  it('says where headless mode keeps the authtoken', async () => {
    const card = page
      .locator('.card')
      .filter({ has: page.getByLabel('ngrok authtoken', { exact: true }) })
    expect(await card.textContent()).toContain('0600')
    expect(await card.textContent()).not.toContain('encrypted by the OS')
  })
})

describe('Widgets', () => {
  it('serves widgets from a folder chosen in the UI, after checking it', async () => {
    await openScreen(page, 'Widgets')
    await page.getByRole('button', { name: 'Serve widgets from a folder…' }).click()
    const path = page.getByRole('textbox', { name: 'Widget folder path' })
    await path.fill(join(widgetsDir, 'missing'))
    await page.getByRole('button', { name: 'Check and serve' }).click()
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'There is no folder at' }).count())
      .toBe(1)
    expect(h.workbench.config.get().projectDir).toBeNull()
    await path.fill(widgetsDir)
    await page.getByRole('button', { name: 'Check and serve' }).click()
    await page.getByRole('radiogroup', { name: 'hello-widget' }).waitFor()
    expect(h.workbench.config.get().projectDir).toBe(widgetsDir)
    expect(h.workbench.widgetSummaries().map((w) => w.id)).toEqual(['hello-widget'])
    await page.getByRole('button', { name: 'Serve the samples' }).click()
    await page.getByRole('radiogroup', { name: 'protected-widget' }).waitFor()
  })
})

describe('Auth', () => {
  it('does not call an unsaved external issuer the built-in one, and can switch back to it', async () => {
    await h.workbench.config.update((raw) => ({
      ...raw,
      auth: { ...raw.auth, issuer: 'https://my-fake-tenant.example.test' },
    }))
    await openScreen(page, 'Auth')
    await page
      .getByRole('radiogroup', { name: 'Issuer mode' })
      .getByRole('radio', { name: 'Development issuer' })
      .click()
    const card = page
      .locator('.card')
      .filter({ has: page.getByRole('radiogroup', { name: 'Issuer mode' }) })
    expect(await page.locator('main').textContent()).not.toContain(
      'built-in issuer at https://my-fake-tenant',
    )
    await page.getByText('Save to switch to the built-in issuer').waitFor()
    await card.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => h.workbench.status().issuer.kind).toBe('dev')
  })
})

describe('Overview', () => {
  it('shows a config file error, and clears it when the bad edit is undone', async () => {
    await openScreen(page, 'Overview')
    const good = await readFile(h.configPath, 'utf8')
    await writeFile(h.configPath, '{ "server": { "port": "not a number" ')
    const error = page.getByRole('alert').filter({ hasText: 'Config file error' })
    await error.waitFor()
    // Undo: the very text that was loaded before the bad edit.
    await writeFile(h.configPath, good)
    await expect.poll(() => error.count()).toBe(0)
    expect(h.workbench.status().configError).toBeNull()
  })
})

describe('Preview', () => {
  it('keeps a failed Connect run off the answer to a later, unrelated call', async () => {
    await h.workbench.config.update((raw) => ({
      ...raw,
      auth: { ...raw.auth, issuer: 'https://nowhere.example.test' },
    }))
    await openScreen(page, 'Preview')
    await page.getByRole('combobox', { name: 'Widget' }).selectOption('protected-widget')
    await page.getByRole('combobox', { name: 'Call as' }).selectOption('anonymous')
    await page.getByRole('button', { name: 'Call widget' }).click()
    const connect = page.getByRole('region', { name: 'Connect' })
    await connect.getByRole('heading', { name: 'Sign-in required' }).waitFor()
    await connect.getByRole('button', { name: 'Connect', exact: true }).click()
    await connect.locator('.connect-steps .step-failed').first().waitFor()
    await page.getByRole('combobox', { name: 'Call as' }).selectOption('pasted')
    await page.getByLabel('Token', { exact: true }).fill('not-a-jwt')
    await page.getByRole('button', { name: 'Call widget' }).click()
    await connect.getByRole('heading', { name: 'The token was refused' }).waitFor()
    expect(await connect.locator('.connect-steps').count()).toBe(0)
    await h.workbench.config.update((raw) => ({ ...raw, auth: { ...raw.auth, issuer: 'dev' } }))
  })
})
