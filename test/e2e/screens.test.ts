import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../src/main/appServices'
import { createUiServer, type UiServer } from '../../src/main/bridge'
import { createCommandHandlers, subscribeWorkbenchEvents } from '../../src/main/commands'
import { createWorkbench, type Workbench } from '../../src/main/core'
import { CHROMIUM_PATH, openScreen } from './harness'

// The screens as a user drives them, in Debian Chromium against browser mode with the development issuer, the
// forge and Connect wired as `npm run serve` wires them (the shared harness takes no workbench-bound services).

let dir: string
let workbench: Workbench
let app: AppServices
let ui: UiServer
let browser: Browser
let page: Page
const pageErrors: string[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbench-screens-'))
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
  page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage()
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()))
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await page.goto(ui.url)
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
})

afterAll(async () => {
  await browser?.close()
  await ui?.close()
  await app?.close()
  await workbench?.close()
  await rm(dir, { recursive: true, force: true })
})

async function toolSchemes(name: string): Promise<unknown> {
  const client = new Client({ name: 'screens-test', version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(new URL(workbench.mcpUrl())))
  try {
    const { tools } = await client.listTools()
    // The SDK's Tool schema drops unknown top-level keys; the same schemes ride in _meta.
    return tools.find((t) => t.name === name)?._meta?.securitySchemes
  } finally {
    await client.close()
  }
}

async function callPreview(widget: string, identity: string): Promise<void> {
  await openScreen(page, 'Preview')
  await page.getByRole('combobox', { name: 'Widget' }).selectOption(widget)
  await page.getByRole('combobox', { name: 'Call as' }).selectOption(identity)
  await page.getByRole('button', { name: 'Call widget' }).click()
}

describe('screens in browser mode', () => {
  it('keeps the secret out of the address bar and shows every screen without a page error', async () => {
    expect(page.url()).not.toContain('secret')
    for (const screen of ['Auth', 'Widgets', 'Requests', 'Tokens', 'Preview', 'Tunnel', 'Overview'])
      await openScreen(page, screen)
    expect(pageErrors).toEqual([])
  })

  it('switches screens with Ctrl+1..7', async () => {
    const current = page
      .getByRole('navigation', { name: 'Screens' })
      .locator('[aria-current="page"]')
    await page.keyboard.press('Control+3')
    await expect.poll(() => current.textContent()).toMatch(/^Widgets/)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Widgets')
    await page.keyboard.press('Control+1')
    await expect.poll(() => current.textContent()).toMatch(/^Overview/)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Overview')
  })

  it('changes tools/list on the live server when a widget is toggled', async () => {
    await openScreen(page, 'Widgets')
    const group = page.getByRole('radiogroup', { name: 'public-widget' })
    await group.getByRole('radio', { name: 'Required' }).click()
    await expect.poll(() => toolSchemes('public-widget')).toEqual([{ type: 'oauth2', scopes: [] }])
    await expect
      .poll(() => group.getByRole('radio', { name: 'Required' }).getAttribute('aria-checked'))
      .toBe('true')
    await group.getByRole('radio', { name: 'None' }).click()
    await expect.poll(() => toolSchemes('public-widget')).toEqual([{ type: 'noauth' }])
  })

  it('shows the Connect step for an anonymous call to a protected widget, then the greeting as a test user', async () => {
    await callPreview('protected-widget', 'anonymous')
    await page
      .getByRole('region', { name: 'Connect' })
      .getByRole('heading', { name: 'Sign-in required' })
      .waitFor()
    const challenged = workbench.log.snapshot().filter((e) => e.tool === 'protected-widget')
    expect(challenged.at(-1)).toMatchObject({ verdict: 'challenged', identity: null })
    await page.getByRole('button', { name: 'Sign in as Alice Admin' }).click()
    const frame = page.frameLocator('iframe[title="Widget protected-widget"]')
    await expect
      .poll(() => frame.getByRole('heading', { level: 2 }).first().textContent())
      .toBe('Hello, Alice Admin!')
    const signedIn = workbench.log
      .snapshot()
      .filter((e) => e.tool === 'protected-widget')
      .at(-1)
    expect(signedIn).toMatchObject({ verdict: 'allowed', identity: { subject: 'dev|alice' } })
  })

  it('runs the widget in an opaque origin under its own CSP, with window.openai and MCP Apps over postMessage', async () => {
    await openScreen(page, 'Preview')
    await page.getByRole('combobox', { name: 'Widget' }).selectOption('protected-widget')
    await page.getByRole('textbox', { name: 'message', exact: true }).fill('from the form')
    await callPreview('protected-widget', 'user:dev|alice')
    await page
      .frameLocator('iframe[title="Widget protected-widget"]')
      .getByText('from the form')
      .waitFor()
    const frame = page.frames().find((f) => f.url().endsWith('/widget-frame.html'))
    expect(frame).toBeDefined()
    const result = await frame!.evaluate(async () => {
      const w = window as unknown as {
        openai: {
          theme: string
          toolInput: unknown
          callTool(n: string, a: unknown): Promise<{ structuredContent?: { message?: string } }>
        }
      }
      const called = await w.openai.callTool('public-widget', { message: 'from the widget' })
      const rpc = await new Promise<{ result?: { hostContext?: { theme?: string } } }>(
        (resolve) => {
          addEventListener('message', function onMessage(e) {
            if (e.data?.id === 'init-1') {
              removeEventListener('message', onMessage)
              resolve(e.data)
            }
          })
          parent.postMessage(
            {
              jsonrpc: '2.0',
              id: 'init-1',
              method: 'ui/initialize',
              params: {
                protocolVersion: '2026-01-26',
                appInfo: { name: 'test', version: '1' },
                appCapabilities: {},
              },
            },
            '*',
          )
        },
      )
      const blocked = await fetch('https://example.com/').then(
        () => false,
        () => true,
      )
      return {
        origin: String(origin),
        theme: w.openai.theme,
        input: w.openai.toolInput,
        message: called.structuredContent?.message,
        hostTheme: rpc.result?.hostContext?.theme,
        blocked,
      }
    })
    expect(result).toMatchObject({
      origin: 'null',
      theme: 'light',
      hostTheme: 'light',
      blocked: true,
      input: { message: 'from the form' },
    })
    expect(typeof result.message).toBe('string')
  })

  it('lists each call in Requests with its verdict and the decoded sub', async () => {
    await openScreen(page, 'Requests')
    await page.getByRole('combobox', { name: 'Tool' }).selectOption('protected-widget')
    const rows = page.getByRole('row').filter({ hasText: 'protected-widget' })
    await rows.filter({ hasText: 'sign-in required' }).first().waitFor()
    await rows.filter({ hasText: 'allowed' }).last().click()
    const detail = page.getByRole('complementary', { name: 'Request detail' })
    await detail.getByRole('cell', { name: 'sub', exact: true }).waitFor()
    await expect
      .poll(() => detail.getByRole('row').filter({ hasText: /^sub/ }).textContent())
      .toContain('dev|alice')
  })

  it('says "expired" for a forged expired token', async () => {
    await openScreen(page, 'Tokens')
    await page
      .getByRole('group', { name: 'Forge variants' })
      .getByRole('button', { name: 'Expired', exact: true })
      .click()
    await page.getByText(/^expired .* ago$/).waitFor()
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'refuse' }).textContent())
      .toContain('ERR_JWT_EXPIRED')
  })

  it('replays a logged call as another identity', async () => {
    await openScreen(page, 'Requests')
    await page
      .getByRole('row')
      .filter({ hasText: 'protected-widget' })
      .filter({ hasText: 'sign-in required' })
      .first()
      .click()
    const detail = page.getByRole('complementary', { name: 'Request detail' })
    await detail.getByRole('combobox', { name: 'Replay as' }).selectOption('user:dev|bob')
    const before = workbench.log.snapshot().at(-1)!.id
    await detail.getByRole('button', { name: 'Replay' }).click()
    await page.getByText('Replayed as', { exact: false }).waitFor()
    // The replay reached the server as Bob, who lacks read:data: a step-up, not the original anonymous challenge.
    const replayed = workbench.log
      .snapshot()
      .filter((e) => e.id > before && e.rpcMethod === 'tools/call')
    expect(replayed).toHaveLength(1)
    expect(replayed[0]).toMatchObject({
      tool: 'protected-widget',
      verdict: 'insufficient_scope',
      identity: { subject: 'dev|bob' },
    })
    await expect
      .poll(() => detail.getByRole('heading', { level: 2 }).textContent())
      .toContain('protected-widget')
    await expect
      .poll(() => detail.textContent())
      .toContain('Bob Basic lacks read:data, which protected-widget requires: step-up requested.')
  })
})
