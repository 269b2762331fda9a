import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FrameLocator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness, openScreen } from './harness'
import { REAL_APPS, stopRealAppServer, writeRealAppWidget } from './realApps'

// Real MCP Apps from the npm registry, served as project widgets, rendered by Preview in Debian Chromium.

let h: Harness
let projects: string
const folders: string[] = []
const SHOTS = process.env.WORKBENCH_SHOTS_DIR

beforeAll(async () => {
  projects = await mkdtemp(join(tmpdir(), 'workbench-real-apps-'))
  for (const [name, pkg] of Object.entries(REAL_APPS)) {
    await mkdir(join(projects, name))
    folders.push(await writeRealAppWidget(join(projects, name), pkg))
  }
  h = await startHarness({
    config: { auth: { issuer: 'off' }, projectDir: join(projects, 'react') },
  })
  await openScreen(h.page, 'Preview')
}, 60_000)

afterAll(async () => {
  await h?.close()
  for (const folder of folders) await stopRealAppServer(folder)
  await rm(projects, { recursive: true, force: true })
})

interface LogLine {
  direction: string
  kind: string
  text: string
}

async function widgetLog(): Promise<LogLine[]> {
  const items = await h.page.getByRole('list', { name: 'Widget log' }).locator('li').allInnerTexts()
  return items.map((line) => {
    const m = /^(host→view|view→host|window\.openai)?\s*(\S+)\s?(.*)$/s.exec(line.trim())!
    return { direction: m[1] ?? '', kind: m[2], text: m[3] }
  })
}

const eventsOf = (method: string) =>
  h.workbench.log.snapshot().filter((e) => e.rpcMethod === method)

async function callWidget(): Promise<FrameLocator> {
  await h.page.getByRole('button', { name: 'Call widget' }).click()
  return h.page.frameLocator('iframe[title="Widget get-time"]')
}

async function viewGotResult(): Promise<void> {
  await expect
    .poll(async () => (await widgetLog()).some((l) => l.kind === 'ui/notifications/tool-result'), {
      timeout: 20_000,
    })
    .toBe(true)
}

async function expectSpecSequence(): Promise<LogLine[]> {
  const log = await widgetLog()
  const sequence = log
    .filter((l) => l.direction && l.direction !== 'window.openai')
    .map((l) => `${l.direction} ${l.kind}`)
  if (sequence[0] !== 'view→host ui/initialize') console.log(log)
  const at = (entry: string) => sequence.indexOf(entry)
  expect(at('view→host ui/initialize')).toBe(0)
  expect(sequence[1]).toBe('host→view response')
  const initialized = at('view→host ui/notifications/initialized')
  expect(initialized).toBeGreaterThan(1)
  // Nothing from the host before initialized but the ui/initialize response.
  expect(sequence.slice(0, initialized).filter((s) => s.startsWith('host→view'))).toEqual([
    'host→view response',
  ])
  expect(sequence.filter((s) => s === 'host→view ui/notifications/tool-input')).toHaveLength(1)
  expect(at('host→view ui/notifications/tool-input')).toBeGreaterThan(initialized)
  expect(at('host→view ui/notifications/tool-result')).toBeGreaterThan(
    at('host→view ui/notifications/tool-input'),
  )
  // The result carried the real text content.
  const result = log.find((l) => l.kind === 'ui/notifications/tool-result')!
  expect(result.text).toMatch(/"content":\[\{"type":"text","text":"\d{4}-\d\d-\d\dT/)
  return log
}

describe('Preview renders real MCP Apps (issue 13 Proof)', () => {
  it('basic-react: renders the server time, its button calls the tool on the same session, the sequence matches the spec', async () => {
    const frame = await callWidget()
    const time = frame.getByText(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/)
    await time.waitFor({ timeout: 20_000 })
    const first = await time.innerText()
    await expectSpecSequence()

    const sessionsBefore = eventsOf('initialize').length
    await frame.getByRole('button', { name: 'Get Server Time' }).click()
    await expect
      .poll(async () => frame.getByText(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/).innerText(), {
        timeout: 10_000,
      })
      .not.toBe(first)
    expect(eventsOf('tools/call')).toHaveLength(2)
    expect(eventsOf('initialize').length).toBe(sessionsBefore) // the view's call reused Preview's session

    await frame.getByRole('button', { name: 'Send Message' }).click()
    await frame.getByRole('button', { name: 'Send Log' }).click()
    await expect
      .poll(async () => (await widgetLog()).map((l) => `${l.direction} ${l.kind}`))
      .toEqual(expect.arrayContaining(['view→host ui/message', 'view→host notifications/message']))
    expect(h.pageErrors.filter((e) => !/favicon/.test(e))).toEqual([])
    if (SHOTS)
      await h.page.screenshot({ path: join(SHOTS, 'preview-basic-react.png'), fullPage: true })
  }, 60_000)

  it('basic-vanillajs: after the project folder changes, the selection stays valid and the app renders and calls', async () => {
    const broken = join(projects, 'vanillajs', 'broken-one')
    await mkdir(broken)
    await writeFile(join(broken, 'widget.json'), '{ "title": ')
    await h.workbench.config.update((raw) => ({ ...raw, projectDir: join(projects, 'vanillajs') }))
    const callButton = h.page.getByRole('button', { name: 'Call widget' })
    await expect.poll(async () => callButton.isEnabled(), { timeout: 10_000 }).toBe(true)
    // Issue 9 item 8: a broken widget is listed with its error, not silently missing.
    const brokenList = h.page.getByRole('list', { name: 'Broken widgets' })
    await expect
      .poll(async () => brokenList.innerText(), { timeout: 10_000 })
      .toMatch(/broken-one is not served: not valid JSON/)
    const before = eventsOf('tools/call').length
    const frame = await callWidget()
    const time = frame.locator('#server-time')
    await expect
      .poll(async () => time.innerText(), { timeout: 20_000 })
      .toMatch(/^\d{4}-\d\d-\d\dT/)
    await expectSpecSequence()
    const first = await time.innerText()
    await frame.getByRole('button', { name: 'Get Server Time' }).click()
    await expect.poll(async () => time.innerText(), { timeout: 10_000 }).not.toBe(first)
    expect(eventsOf('tools/call').length).toBe(before + 2)
    await frame.getByRole('button', { name: 'Open Link' }).click()
    await expect
      .poll(async () => (await widgetLog()).some((l) => l.kind === 'ui/open-link'))
      .toBe(true)
    if (SHOTS)
      await h.page.screenshot({ path: join(SHOTS, 'preview-basic-vanillajs.png'), fullPage: true })
  }, 60_000)

  it('item 2: the old view gets ui/resource-teardown before a new call replaces it', async () => {
    const before = eventsOf('tools/call').length
    await callWidget()
    // The log is cleared before the call goes out: from here on, a tool-result in it is this view's.
    await expect
      .poll(() => eventsOf('tools/call').length, { timeout: 20_000 })
      .toBeGreaterThan(before)
    await viewGotResult()
    await callWidget()
    // The new call clears the log; the teardown outcome of the old view is its first line.
    await expect
      .poll(async () => (await widgetLog())[0]?.kind, { timeout: 10_000 })
      .toBe('teardown')
    expect((await widgetLog())[0].text).toBe('previous view: done')
  }, 60_000)

  it('a second click on Call widget while the old view tears down makes no second call', async () => {
    const callButton = h.page.getByRole('button', { name: 'Call widget' })
    // The previous test's last call is over (and recorded) once the button is enabled again.
    await expect.poll(async () => callButton.isEnabled(), { timeout: 20_000 }).toBe(true)
    const before = eventsOf('tools/call').length
    // Both clicks in one task: the second lands before the first's teardown of the old view has answered.
    await callButton.evaluate((button: HTMLButtonElement) => {
      button.click()
      button.click()
    })
    await viewGotResult()
    await expect.poll(async () => callButton.isEnabled()).toBe(true)
    // A second call, if one was made, has had time to reach the server.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(eventsOf('tools/call').length).toBe(before + 1)
  }, 60_000)

  it('item 14: the compatibility report names the bridge and each host verdict', async () => {
    const report = h.page.locator('.compat-report')
    await expect
      .poll(async () => report.innerText(), { timeout: 10_000 })
      .toMatch(/MCP Apps \(ui\/\*\)/)
    const text = await report.innerText()
    expect(text).toMatch(/ChatGPT/)
    // Served as a project widget, the server puts a text/html;profile=mcp-app copy of the template behind
    // _meta.ui.resourceUri (the skybridge one stays behind openai/outputTemplate): no MIME complaint.
    expect(text).not.toMatch(/spec host renders only text\/html;profile=mcp-app/)
  })
})
