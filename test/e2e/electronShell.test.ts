import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The Electron binary cannot be installed here, so the built entry (out/main/index.js, from `npm run build`) runs
// on Node against a recording stand-in for the `electron` module (test/e2e/fakeElectron). The window, IPC,
// protocol and permission wiring are the shell's own code; Chromium's side of them is checked with `npm start`.

const ENTRY = resolve('out/main/index.js')
let dir: string
/** What driveEntry.mjs reports. */
interface EntryRun {
  webPreferences: Record<string, unknown> & { preload: string }
  preloadExists: boolean
  url: string
  userData: string
  schemes: unknown
  channels: string[]
  assets: Record<string, { status: number; csp: string | null }>
  fromApp: unknown
  fromIframe: unknown
  fromForeignPage: unknown
  fromOtherContents: unknown
  badArgs: unknown
  openHttp: unknown
  openHttps: unknown
  windowOpen: unknown
  windowOpenFile: unknown
  opened: string[]
  navigationPrevented: boolean
  permissions: Record<string, boolean>
  eventsSent: string[]
  quit: { prevented: boolean; exitCode: number | null }
}
let run: EntryRun

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`)
  dir = await mkdtemp(join(tmpdir(), 'workbench-shell-'))
  await writeFile(join(dir, 'config.json'), JSON.stringify({ server: { port: 0 } }))
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      resolve('test/e2e/fakeElectron/register.mjs'),
      resolve('test/e2e/fakeElectron/driveEntry.mjs'),
      ENTRY,
    ],
    {
      env: { ...process.env, WORKBENCH_DATA_DIR: dir },
      timeout: 30_000,
    },
  )
  run = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as EntryRun
})
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the Electron entry (built)', () => {
  it('opens a sandboxed, context-isolated window on app://workbench with the CommonJS preload', () => {
    expect(run.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    })
    expect(run.webPreferences.preload).toMatch(/out\/preload\/index\.cjs$/)
    expect(run.preloadExists).toBe(true)
    expect(run.url).toBe('app://workbench/index.html')
    expect(run.userData).toBe(dir)
    expect(run.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
  })

  it('serves the app pages with the strict CSP and the widget frame with its sandbox policy', () => {
    expect(run.assets['app://workbench/index.html'].status).toBe(200)
    expect(run.assets['app://workbench/index.html'].csp).toContain("script-src 'self';")
    expect(run.assets['app://workbench/widget-frame.html'].csp).toMatch(/^sandbox allow-scripts/)
    expect(run.assets['app://workbench/../../../etc/passwd'].status).toBe(404)
    expect(run.assets['app://other/index.html'].status).toBe(404)
  })

  it('registers one handler per command of the contract', async () => {
    const { commandNames } = await import('../../src/shared/contract')
    expect([...run.channels].sort()).toEqual([...commandNames].sort())
  })

  it('answers the app main frame and refuses iframes, foreign pages and other contents', () => {
    expect(run.fromApp).toMatchObject({
      ok: true,
      value: { mode: 'electron', status: { listening: true } },
    })
    for (const refused of [run.fromIframe, run.fromForeignPage, run.fromOtherContents]) {
      expect(refused).toMatchObject({ ok: false, error: { code: 'ERR_IPC_FORBIDDEN' } })
    }
  })

  it('returns invalid arguments as data', () => {
    expect(run.badArgs).toMatchObject({ ok: false, error: { code: 'ERR_IPC_INVALID' } })
  })

  it('opens only https links outside the app and never a new window', () => {
    expect(run.openHttp).toMatchObject({ ok: false, error: { code: 'ERR_IPC_INVALID' } })
    expect(run.openHttps).toEqual({ ok: true, value: null })
    expect(run.windowOpen).toEqual({ action: 'deny' })
    expect(run.windowOpenFile).toEqual({ action: 'deny' })
    expect(run.opened).toEqual(['https://example.com/', 'https://docs.example/'])
  })

  it('prevents navigation and denies permissions except clipboard writes from the app', () => {
    expect(run.navigationPrevented).toBe(true)
    expect(run.permissions).toEqual({
      'media app://workbench/': false,
      'geolocation app://workbench/': false,
      'clipboard-sanitized-write app://workbench/index.html': true,
      'clipboard-sanitized-write https://evil.example/': false,
    })
  })

  it('forwards contract events to the window', () => {
    expect(run.eventsSent).toContain('log:appended')
  })

  it('closes the core before quitting', () => {
    expect(run.quit).toEqual({ prevented: true, exitCode: 0 })
  })
})
