import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CallToolResult } from '@modelcontextprotocol/client'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

let project: string
let fx: Fixture | undefined

async function writeWidget(
  id: string,
  manifest: unknown,
  handler: string,
  template = '<div>ok</div>',
) {
  await mkdir(join(project, id), { recursive: true })
  await writeFile(
    join(project, id, 'widget.json'),
    typeof manifest === 'string' ? manifest : JSON.stringify(manifest),
  )
  await writeFile(join(project, id, 'handler.mjs'), handler)
  await writeFile(join(project, id, 'template.html'), template)
}

/** Hot reload is asynchronous: poll for what the user would see, asserting it (the failure shows the last value). */
const settled = { timeout: 5000, interval: 25 }

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'workbench-project-'))
})
afterEach(async () => {
  await fx?.close()
  fx = undefined
  await rm(project, { recursive: true, force: true })
})

const base = {
  title: 'Echo',
  description: 'Echoes',
  handler: 'handler.mjs',
  auth: { mode: 'none' },
}

describe('a project folder of widgets', () => {
  it('serves its widgets, reports a broken one with file and field, and keeps the others', async () => {
    await writeWidget('echo', base, 'export default (input) => ({ echoed: input.text ?? null })')
    await writeWidget(
      'broken',
      { ...base, auth: { mode: 'sometimes' } },
      'export default () => ({})',
    )
    fx = await startWorkbench({ auth: { issuer: 'off' }, projectDir: project })
    const client = await fx.connect()
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['echo'])
    expect(fx.workbench.widgets.errors()).toEqual([
      expect.objectContaining({
        widget: 'broken',
        file: join(project, 'broken', 'widget.json'),
        field: 'auth.mode',
      }),
    ])
    const result = (await client.callTool({
      name: 'echo',
      arguments: { text: 'hi' },
    })) as CallToolResult
    expect(result.structuredContent).toEqual({ echoed: 'hi' })
  })

  it('hot-reloads an edited handler and a new widget', async () => {
    await writeWidget('echo', base, 'export default () => ({ version: 1 })')
    fx = await startWorkbench({ auth: { issuer: 'off' }, projectDir: project })
    const client = await fx.connect()
    await new Promise((r) => setTimeout(r, 50))
    await writeFile(join(project, 'echo', 'handler.mjs'), 'export default () => ({ version: 2 })')
    const echo = async () =>
      ((await client.callTool({ name: 'echo', arguments: {} })) as CallToolResult).structuredContent
    await expect.poll(echo, settled).toEqual({ version: 2 })
    await writeWidget('second', { ...base, title: 'Second' }, 'export default () => ({})')
    const names = async () => (await client.listTools()).tools.map((t) => t.name).sort()
    await expect.poll(names, settled).toEqual(['echo', 'second'])
  })

  it('turns a handler that throws or hangs into a tool error and keeps serving', async () => {
    await writeWidget('thrower', base, 'export default () => { throw new Error("database down") }')
    await writeWidget('hanger', base, 'export default () => new Promise(() => {})')
    await writeWidget('fine', base, 'export default () => ({ ok: true })')
    fx = await startWorkbench({
      auth: { issuer: 'off' },
      projectDir: project,
      server: { handlerTimeoutMs: 200 },
    })
    const client = await fx.connect()
    const thrown = (await client.callTool({ name: 'thrower', arguments: {} })) as CallToolResult
    expect(thrown).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: expect.stringContaining('database down') }],
    })
    const hung = (await client.callTool({ name: 'hanger', arguments: {} })) as CallToolResult
    expect(hung).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: expect.stringContaining('did not answer') }],
    })
    expect(
      ((await client.callTool({ name: 'fine', arguments: {} })) as CallToolResult)
        .structuredContent,
    ).toEqual({ ok: true })
    expect(
      fx.workbench.log
        .snapshot()
        .filter((e) => e.tool === 'thrower')
        .at(-1),
    ).toMatchObject({ verdict: 'error', reason: expect.stringContaining('handler threw') })
  })

  it('refuses arguments that do not match the input schema as a tool error', async () => {
    await writeWidget(
      'typed',
      {
        ...base,
        inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
      },
      'export default (i) => ({ n: i.n })',
    )
    fx = await startWorkbench({ auth: { issuer: 'off' }, projectDir: project })
    const client = await fx.connect()
    const bad = (await client.callTool({
      name: 'typed',
      arguments: { n: 'three' },
    })) as CallToolResult
    expect(bad.isError).toBe(true)
    expect(
      ((await client.callTool({ name: 'typed', arguments: { n: 3 } })) as CallToolResult)
        .structuredContent,
    ).toEqual({ n: 3 })
  })
})

describe('a project verifier module', () => {
  it('replaces the JWT verifier and can build on it', async () => {
    const { startLocalIssuer } = await import('../support/localIssuer')
    const issuer = await startLocalIssuer()
    try {
      await writeWidget(
        'whoami',
        { ...base, auth: { mode: 'required', scopes: [] } },
        'export default (_i, { user }) => ({ sub: user.subject, plan: user.claims.plan })',
      )
      // Refuses banned users after the default JWT checks, and adds a claim from "the database".
      await writeFile(
        join(project, 'verifier.mjs'),
        `
        export async function verify(token, { jwt }) {
          const verdict = await jwt.verifyAccessToken(token)
          if (!verdict.ok || verdict.token.subject === 'banned') return null
          return { ...verdict.token, claims: { ...verdict.token.claims, plan: 'gold' } }
        }`,
      )
      fx = await startWorkbench({
        auth: { issuer: issuer.issuer, audience: 'https://api.test' },
        projectDir: project,
      })
      const good = await fx.connect(await issuer.mint({ sub: 'carol', aud: 'https://api.test' }))
      expect(
        ((await good.callTool({ name: 'whoami', arguments: {} })) as CallToolResult)
          .structuredContent,
      ).toEqual({ sub: 'carol', plan: 'gold' })
      await expect(
        fx.connect(await issuer.mint({ sub: 'banned', aud: 'https://api.test' })),
      ).rejects.toThrow()
      expect(fx.workbench.log.snapshot().at(-1)).toMatchObject({
        status: 401,
        reasonCode: 'ERR_TOKEN_REJECTED_BY_PROJECT',
      })
      await expect(
        fx.connect(await issuer.mint({ sub: 'carol', aud: 'https://other.test' })),
      ).rejects.toThrow()
    } finally {
      await issuer.close()
    }
  })
})
