import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { createWorkbenchApp, type AppServices } from '../../src/main/appServices'
import { createUiServer, type UiServer } from '../../src/main/bridge'
import { createWorkbench, type Workbench } from '../../src/main/core'
import type { WorkbenchConfigInput } from '../../src/shared/config'

/** Debian's Chromium; `apt-get install -y chromium` if missing. Override with WORKBENCH_CHROMIUM. */
export const CHROMIUM_PATH = process.env.WORKBENCH_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
]

export interface HarnessOptions {
  /** The config file written before start; `server.port` defaults to 0. Default `{}` (auth off, sample widgets). */
  config?: WorkbenchConfigInput
  /** The built renderer. Default `out/renderer` (run `npm run build` first). */
  staticDir?: string
  /** Browser viewport. Default 1280×800. */
  viewport?: { width: number; height: number }
  colorScheme?: 'light' | 'dark'
  /** Open the UI URL at once. Default true. */
  open?: boolean
}

export interface Harness {
  /** The printed UI URL, secret included. */
  uiUrl: string
  ui: UiServer
  workbench: Workbench
  /** The feature services (forge, issuer check, Connect, tunnel) wired as `npm run serve` wires them. */
  app: AppServices
  /** URLs Connect asked to open for the person (the UI opens them in a tab too). */
  openedUrls: string[]
  browser: Browser
  context: BrowserContext
  page: Page
  /** Console errors, page errors and CSP violations seen so far (a test can assert it stays empty). */
  pageErrors: string[]
  /** The temp folder holding config.json and the data dir. */
  dir: string
  configPath: string
  close(): Promise<void>
}

/**
 * Browser mode as a user gets it, for Playwright tests and the screenshot script: the headless core on
 * 127.0.0.1:0 with the feature services `serve` adds, the UI server on its own loopback port, and Debian
 * Chromium on the printed URL.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const staticDir = options.staticDir ?? resolve('out/renderer')
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error(`${staticDir}/index.html is missing: run \`npm run build\` first`)
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get update && apt-get install -y chromium`)

  const dir = await mkdtemp(join(tmpdir(), 'workbench-e2e-'))
  const configPath = join(dir, 'config.json')
  const config = options.config ?? {}
  await writeFile(
    configPath,
    JSON.stringify({ ...config, server: { port: 0, ...config.server } }, null, 2),
  )
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })]
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
  }
  try {
    const workbench = await createWorkbench({ configPath, dataDir: join(dir, 'data') })
    cleanups.push(() => workbench.close())
    await workbench.start()
    await workbench.ready()
    const openedUrls: string[] = []
    const app = createWorkbenchApp({
      workbench,
      dataDir: join(dir, 'data'),
      mode: 'browser',
      openUrl: (url) => void openedUrls.push(url),
    })
    cleanups.push(() => app.close())
    const ui = await createUiServer({ handlers: app.handlers, events: app.events, staticDir })
    cleanups.push(() => ui.close())

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
    cleanups.push(() => browser.close())
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
    })
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()))
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on(
      'response',
      (r) =>
        r.status() >= 400 && pageErrors.push(`HTTP ${r.status()} ${r.url().replace(/#.*$/, '')}`),
    )
    if (options.open !== false) await page.goto(ui.url)
    return {
      uiUrl: ui.url,
      ui,
      workbench,
      app,
      openedUrls,
      browser,
      context,
      page,
      pageErrors,
      dir,
      configPath,
      close,
    }
  } catch (err) {
    await close()
    throw err
  }
}

/** Opens a screen from the navigation, as a user clicks it, and waits for its heading. */
export async function openScreen(page: Page, screen: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: new RegExp(`^${screen}\\b`) })
    .click()
  await page.getByRole('heading', { level: 1, name: screen }).waitFor()
}
