import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { callWidgetAs, cancelPreviewCalls } from '../../src/main/preview/callWidgetAs'
import { closePreviewSessions, previewSessionsOf } from '../../src/main/preview/previewSessionsOf'
import { sendPreviewRequest } from '../../src/main/preview/sendPreviewRequest'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

let fx: Fixture | undefined
let project: string | undefined
afterEach(async () => {
  await fx?.close()
  fx = undefined
  if (project) await rm(project, { recursive: true, force: true })
})

const anonymous = { token: null, label: 'anonymous', key: 'anonymous' }
const methods = (fx: Fixture, from = 0) =>
  fx.workbench.log
    .snapshot()
    .filter((e) => e.id > from)
    .map((e) => e.rpcMethod ?? `${e.method}`)

describe('Preview sessions (issue 13 item 8, issue 8 item 17)', () => {
  it('runs every call and replay of one identity on one MCP session, and closes it with a DELETE', async () => {
    fx = await startWorkbench({ auth: { issuer: 'off' } })
    const { workbench } = fx
    for (let i = 0; i < 3; i++) {
      const call = await callWidgetAs(workbench, 'public-widget', {}, anonymous)
      expect(call.result.isError ?? false).toBe(false)
    }
    const rpc = methods(fx).filter((m) => m !== 'GET')
    expect(rpc.filter((m) => m === 'initialize')).toHaveLength(1)
    expect(rpc.filter((m) => m === 'tools/call')).toHaveLength(3)
    expect(workbench.status().sessions).toBe(1)
    expect(previewSessionsOf(workbench).openKeys()).toEqual(['anonymous'])

    await closePreviewSessions(workbench)
    expect(methods(fx)).toContain('DELETE')
    expect(workbench.status().sessions).toBe(0)
  })

  it('opens one session per identity, not per call', async () => {
    fx = await startWorkbench({ auth: { issuer: 'off' } })
    const other = { token: null, label: 'someone', key: 'testUser:bob' }
    await callWidgetAs(fx.workbench, 'public-widget', {}, anonymous)
    await callWidgetAs(fx.workbench, 'public-widget', {}, other)
    await callWidgetAs(fx.workbench, 'public-widget', {}, anonymous)
    expect(fx.workbench.status().sessions).toBe(2)
    expect(previewSessionsOf(fx.workbench).openKeys().sort()).toEqual(['anonymous', 'testUser:bob'])
    await closePreviewSessions(fx.workbench)
  })
})

describe('Preview finds its own event (issue 11 item 3)', () => {
  it('links each call to the event of that very call while calls interleave', async () => {
    fx = await startWorkbench({ auth: { issuer: 'off' } })
    const { workbench } = fx
    const identities = [anonymous, { token: null, label: 'someone', key: 'testUser:bob' }]
    const calls = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        callWidgetAs(workbench, 'public-widget', { n }, identities[n % 2]),
      ),
    )
    const consoleCalls = await Promise.all(
      Array.from({ length: 4 }, (_, n) =>
        sendPreviewRequest(
          workbench,
          'tools/call',
          { name: 'public-widget', arguments: { n } },
          identities[n % 2],
        ),
      ),
    )
    const eventOf = (id: number | null) => workbench.log.snapshot().find((e) => e.id === id)
    for (const [n, call] of calls.entries())
      expect(eventOf(call.eventId)?.requestBody).toMatchObject({ params: { arguments: { n } } })
    for (const [n, call] of consoleCalls.entries())
      expect(eventOf(call.eventId)?.requestBody).toMatchObject({ params: { arguments: { n } } })
    await closePreviewSessions(workbench)
  })
})

describe('raw JSON-RPC console (issue 9 item 18)', () => {
  it('sends any method as the identity and returns the raw reply, errors included', async () => {
    fx = await startWorkbench({ auth: { issuer: 'off' } })
    const list = await sendPreviewRequest(fx.workbench, 'resources/list', {}, anonymous)
    expect(list.request).toMatchObject({ jsonrpc: '2.0', method: 'resources/list' })
    expect(list.reply).toMatchObject({ jsonrpc: '2.0', id: (list.request as { id: string }).id })
    const uris = (list.reply as { result: { resources: { uri: string }[] } }).result.resources.map(
      (r) => r.uri,
    )
    expect(uris).toContain('ui://widget/public-widget.html')
    expect(list.eventId).not.toBeNull()

    const unknown = await sendPreviewRequest(fx.workbench, 'no/such-method', undefined, anonymous)
    expect(unknown.reply).toMatchObject({ error: { code: -32601 } })

    const read = await sendPreviewRequest(
      fx.workbench,
      'resources/read',
      { uri: 'ui://widget/public-widget.html' },
      anonymous,
    )
    expect(
      (read.reply as { result: { contents: { text: string }[] } }).result.contents[0].text,
    ).toContain('<')
    expect(fx.workbench.status().sessions).toBe(1)
    await closePreviewSessions(fx.workbench)
  })

  it('shows an HTTP refusal with its challenge instead of throwing', async () => {
    fx = await startWorkbench({ auth: { issuer: 'dev' } })
    const bad = { token: 'garbage', label: 'pasted token', key: 'token:garbage' }
    const reply = await sendPreviewRequest(fx.workbench, 'tools/list', {}, bad)
    expect(reply.reply).toBeNull()
    expect(reply.httpError?.status).toBe(401)
    expect(reply.httpError?.wwwAuthenticate).toMatch(/^Bearer /)
  })
})

describe('app-only tools (issue 13 item 7)', () => {
  it('are hidden from a plain client and listed, marked, to a host that renders views', async () => {
    project = await mkdtemp(join(tmpdir(), 'workbench-visibility-'))
    const widget = async (id: string, extra: Record<string, unknown>) => {
      await mkdir(join(project!, id))
      const manifest = { title: id, description: id, auth: { mode: 'none' }, ...extra }
      await writeFile(join(project!, id, 'widget.json'), JSON.stringify(manifest))
      await writeFile(join(project!, id, 'template.html'), '<p>x</p>')
      await writeFile(join(project!, id, 'handler.js'), 'export default () => ({ ok: true })')
    }
    await widget('shown', {})
    await widget('app-only', { visibility: ['app'] })
    fx = await startWorkbench({ auth: { issuer: 'off' }, projectDir: project })
    const plain = await fx.connect()
    expect((await plain.listTools()).tools.map((t) => t.name)).toEqual(['shown'])

    const hostList = await sendPreviewRequest(fx.workbench, 'tools/list', {}, anonymous)
    const tools = (
      hostList.reply as { result: { tools: { name: string; _meta: Record<string, unknown> }[] } }
    ).result.tools
    const appOnly = tools.find((t) => t.name === 'app-only')
    expect(appOnly?._meta).toMatchObject({
      ui: { visibility: ['app'] },
      'openai/visibility': 'private',
    })
    const call = await callWidgetAs(fx.workbench, 'app-only', {}, anonymous)
    expect(call.result.structuredContent).toEqual({ ok: true })
    await closePreviewSessions(fx.workbench)
  })
})

describe('Cancel (issue 13 item 1)', () => {
  it('cancels the call in flight: the server gets notifications/cancelled and the handler its abort', async () => {
    project = await mkdtemp(join(tmpdir(), 'workbench-cancel-'))
    const folder = join(project, 'slow')
    await mkdir(folder)
    const marker = join(folder, 'aborted.txt')
    await writeFile(
      join(folder, 'widget.json'),
      JSON.stringify({ title: 'Slow', description: 'Slow', auth: { mode: 'none' } }),
    )
    await writeFile(join(folder, 'template.html'), '<p>slow</p>')
    await writeFile(
      join(folder, 'handler.js'),
      `import { writeFileSync } from 'node:fs'
export default (input, { signal }) => new Promise((resolve) => {
  signal.addEventListener('abort', () => { writeFileSync(${JSON.stringify(marker)}, 'yes'); resolve({ aborted: true }) })
  setTimeout(() => resolve({ late: true }), 20000)
})`,
    )
    fx = await startWorkbench({
      auth: { issuer: 'off' },
      projectDir: project,
      server: { handlerTimeoutMs: 30000 },
    })
    const call = callWidgetAs(fx.workbench, 'slow', {}, anonymous)
    for (
      let i = 0;
      i < 100 && !fx.workbench.log.snapshot().some((e) => e.rpcMethod === 'tools/call');
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20))
    }
    await new Promise((r) => setTimeout(r, 100))
    expect(cancelPreviewCalls(fx.workbench)).toBe(1)
    await expect(call).rejects.toThrow(/Cancelled in Preview/)
    for (let i = 0; i < 100 && !(await readFile(marker, 'utf8').catch(() => '')); i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(await readFile(marker, 'utf8')).toBe('yes')
    expect(fx.workbench.log.snapshot().some((e) => e.rpcMethod === 'notifications/cancelled')).toBe(
      true,
    )
    await closePreviewSessions(fx.workbench)
  })
})
