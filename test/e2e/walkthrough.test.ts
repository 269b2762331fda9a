import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { CHROMIUM_PATH, openScreen } from './harness'

// The README's "Try it in 60 seconds", step by step as written, on a fresh data folder: `npm run
// serve` as a process, the printed Workbench UI link in Chromium. Prints how long each step took
// (no timed assertion).

let dir: string | undefined
let serve: ChildProcess | undefined
let browser: Browser | undefined
let started = performance.now()
const marks: [string, number][] = []
const mark = (step: string): void => void marks.push([step, (performance.now() - started) / 1000])

afterAll(async () => {
  await browser?.close()
  if (serve && serve.exitCode === null) {
    serve.kill('SIGINT')
    await new Promise((r) => serve!.once('exit', r))
  }
  if (dir) await rm(dir, { recursive: true, force: true })
  console.log(`README walkthrough: ${marks.map(([s, t]) => `${s} ${t.toFixed(1)} s`).join(', ')}`)
})

/** Starts `npm run serve` (its script) and reads the printed lines until the UI link. */
async function startServe(dataDir: string): Promise<{ mcpUrl: string; uiUrl: string }> {
  // --port 0: as written, but on any free port so the test can run beside another server on 8001.
  serve = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0'], {
    env: { ...process.env, WORKBENCH_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  serve.stderr!.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('Building')) mark('(out/ was stale: built first)')
  })
  await new Promise<void>((resolve, reject) => {
    serve!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (/^Workbench UI: \S+$/m.test(out)) resolve()
    })
    serve!.on('exit', (code) => reject(new Error(`npm run serve exited with ${code}: ${out}`)))
  })
  mark('serve printed the UI link')
  return {
    mcpUrl: /^MCP endpoint: (\S+)$/m.exec(out)![1],
    uiUrl: /^Workbench UI: (\S+)$/m.exec(out)![1],
  }
}

describe('README: Try it in 60 seconds', () => {
  it('goes from `npm run serve` to a signed-in widget, the log and a live auth change', async () => {
    dir = await mkdtemp(join(tmpdir(), 'workbench-walkthrough-'))
    started = performance.now()
    // 1. `npm run serve`, open the printed Workbench UI link.
    const { mcpUrl, uiUrl } = await startServe(join(dir, 'data'))
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 800 } })
    ).newPage()
    await page.goto(uiUrl)
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor()
    expect(await page.content()).not.toContain('not built yet')
    mark('UI open')

    // 2. Widgets: five sample widgets with their modes.
    await openScreen(page, 'Widgets')
    const modeOf = (id: string) =>
      page.getByRole('radiogroup', { name: id }).locator('[aria-checked="true"]').textContent()
    await expect.poll(() => page.locator('.widget-controls [role="radiogroup"]').count()).toBe(5)
    expect([
      await modeOf('protected-widget'),
      await modeOf('public-widget'),
      await modeOf('flexible-widget'),
    ]).toEqual(['Required', 'None', 'Optional'])
    mark('widgets')

    // 3. Preview → protected-widget → Call as Anonymous → Call widget: the sign-in step.
    await openScreen(page, 'Preview')
    await page.getByRole('combobox', { name: 'Widget' }).selectOption('protected-widget')
    await page.getByRole('combobox', { name: 'Call as' }).selectOption('anonymous')
    await page.getByRole('button', { name: 'Call widget' }).click()
    const connect = page.getByRole('region', { name: 'Connect' })
    await connect.getByRole('heading', { name: 'Sign-in required' }).waitFor()
    expect(await connect.textContent()).toContain('resource_metadata=')
    mark('challenge')

    // 4. Sign in as Alice Admin there: the widget renders her greeting; Bob gets the step-up
    // instead.
    await connect.getByRole('button', { name: 'Sign in as Alice Admin' }).click()
    const frame = page.frameLocator('iframe[title="Widget protected-widget"]')
    await expect
      .poll(() => frame.getByRole('heading', { level: 2 }).first().textContent())
      .toBe('Hello, Alice Admin!')
    mark('signed-in widget')
    await page.getByRole('combobox', { name: 'Call as' }).selectOption('user:dev|bob')
    await page.getByRole('button', { name: 'Call widget' }).click()
    await connect.getByRole('heading', { name: 'More permissions needed' }).waitFor()

    // 5. Requests: every call with its verdict, the decoded token.
    await openScreen(page, 'Requests')
    const rows = page
      .getByRole('grid', { name: 'Requests' })
      .getByRole('row')
      .filter({ hasText: 'protected-widget' })
    await expect
      .poll(() => rows.allTextContents())
      .toEqual([
        expect.stringContaining('sign-in required'),
        expect.stringContaining('allowed'),
        expect.stringContaining('missing scope'),
      ])
    await rows.nth(1).click()
    const detail = page.getByRole('complementary', { name: 'Request detail' })
    await expect
      .poll(() => detail.getByRole('row').filter({ hasText: /^sub/ }).textContent())
      .toContain('dev|alice')
    mark('requests')

    // 6. On Widgets, set public-widget to Required: tools/list changes at once, clients are
    // notified.
    const client = new Client({ name: 'walkthrough', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)))
    const changed = new Promise<void>((resolve) =>
      client.setNotificationHandler('notifications/tools/list_changed', () => resolve()),
    )
    await openScreen(page, 'Widgets')
    await page
      .getByRole('radiogroup', { name: 'public-widget' })
      .getByRole('radio', { name: 'Required' })
      .click()
    await changed
    const { tools } = await client.listTools()
    expect(tools.find((t) => t.name === 'public-widget')?._meta?.securitySchemes).toEqual([
      { type: 'oauth2', scopes: [] },
    ])
    await client.close()
    mark('live auth change')
  }, 120_000)
})
