import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CallToolResult } from '@modelcontextprotocol/client'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

let project: string
let outside: string
let fx: Fixture | undefined

const base = { title: 'W', description: 'A widget', handler: 'handler.mjs', auth: { mode: 'none' } }

async function writeWidget(
  id: string,
  handler: string,
  manifest: Record<string, unknown> = base,
): Promise<void> {
  await mkdir(join(project, id), { recursive: true })
  await writeFile(join(project, id, 'widget.json'), JSON.stringify(manifest))
  await writeFile(join(project, id, 'handler.mjs'), handler)
  await writeFile(join(project, id, 'template.html'), '<div>ok</div>')
}

/** Saves as vim, JetBrains and `sed -i` do: a new file renamed over the old one. */
async function saveByRename(path: string, text: string): Promise<void> {
  await writeFile(`${path}.swp`, text)
  await rename(`${path}.swp`, path)
}

const until = async (check: () => boolean | Promise<boolean>, what: string): Promise<void> => {
  for (let i = 0; i < 400; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}
const text = (r: CallToolResult) => (r.content[0] as { text: string }).text

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'workbench-isolation-'))
  outside = await mkdtemp(join(tmpdir(), 'workbench-outside-'))
})
afterEach(async () => {
  await fx?.close()
  fx = undefined
  await rm(project, { recursive: true, force: true })
  await rm(outside, { recursive: true, force: true })
})

describe('project handlers run where they can be stopped', () => {
  it('stops a handler that blocks synchronously at the deadline while the server answers others', async () => {
    const marker = join(outside, 'finished')
    await writeWidget(
      'spinner',
      `import { writeFileSync } from 'node:fs'
export default () => {
  const end = Date.now() + 3000
  while (Date.now() < end) {}
  writeFileSync(${JSON.stringify(marker)}, 'done')
  return { finished: true }
}`,
    )
    await writeWidget('fine', 'export default () => ({ ok: true })')
    fx = await startWorkbench({
      auth: { issuer: 'off' },
      projectDir: project,
      server: { handlerTimeoutMs: 300 },
    })
    const client = await fx.connect()
    const order: string[] = []
    const spinning = client.callTool({ name: 'spinner', arguments: {} }).then((r) => {
      order.push('spinner')
      return r as CallToolResult
    })
    const fine = (await client.callTool({ name: 'fine', arguments: {} })) as CallToolResult
    order.push('fine')
    expect(fine.structuredContent).toEqual({ ok: true })
    const spun = await spinning
    expect(order).toEqual(['fine', 'spinner'])
    expect(spun.isError).toBe(true)
    expect(text(spun)).toContain('did not answer within 0.3 s')
    expect(
      fx.workbench.log
        .snapshot()
        .filter((e) => e.tool === 'spinner')
        .at(-1)?.reason,
    ).toContain('was stopped')
    // The runaway was terminated: what it would have done after its loop never happens.
    const started = Date.now()
    await until(() => Date.now() - started > 3500, 'the loop to have ended, had it run on')
    expect(existsSync(marker)).toBe(false)
  })

  it('runs at most 4 calls of a handler at once, queues 32 and refuses the rest as busy', async () => {
    const gate = join(outside, 'open')
    await writeWidget(
      'slow',
      `import { existsSync } from 'node:fs'
export default async () => {
  while (!existsSync(${JSON.stringify(gate)})) await new Promise((r) => setTimeout(r, 20))
  return { ok: 1 }
}`,
    )
    fx = await startWorkbench({
      auth: { issuer: 'off' },
      projectDir: project,
      server: { handlerTimeoutMs: 20_000 },
    })
    const client = await fx.connect()
    const settled: CallToolResult[] = []
    const calls = Array.from({ length: 40 }, () =>
      client.callTool({ name: 'slow', arguments: {} }).then((r) => {
        settled.push(r as CallToolResult)
        return r as CallToolResult
      }),
    )
    // 4 run and 32 wait behind the closed gate: only the 4 refused come back.
    await until(() => settled.length === 4, 'the refused calls')
    expect(settled.every((r) => r.isError && text(r).includes('busy'))).toBe(true)
    await writeFile(gate, '')
    const results = await Promise.all(calls)
    expect(results.filter((r) => !r.isError)).toHaveLength(36)
  })

  it('keeps the (input, { user, signal, widget }) signature in the worker', async () => {
    await writeWidget(
      'ctx',
      `export default (input, { user, signal, widget }) => ({
  echoed: input.text, anonymous: !user.isAuthenticated, canRead: user.hasScope('read'), aborted: signal.aborted, id: widget.id,
})`,
    )
    fx = await startWorkbench({ auth: { issuer: 'off' }, projectDir: project })
    const client = await fx.connect()
    const result = (await client.callTool({
      name: 'ctx',
      arguments: { text: 'hi' },
    })) as CallToolResult
    expect(result.structuredContent).toEqual({
      echoed: 'hi',
      anonymous: true,
      canRead: false,
      aborted: false,
      id: 'ctx',
    })
  })

  it('gives a thrown error its file:line (stack in the log) and names the line of a syntax error', async () => {
    await writeWidget(
      'thrower',
      'export default () => {\n  const x = 1\n  throw new Error("database down " + x)\n}\n',
    )
    await writeWidget('typo', 'export default () => {\n  const x = = 1\n}\n')
    fx = await startWorkbench({ auth: { issuer: 'off' }, projectDir: project })
    const client = await fx.connect()
    const thrown = (await client.callTool({ name: 'thrower', arguments: {} })) as CallToolResult
    expect(text(thrown)).toBe('The thrower widget failed: database down 1 (handler.mjs:3)')
    const logged = fx.workbench.log
      .snapshot()
      .filter((e) => e.tool === 'thrower')
      .at(-1)
    expect(logged?.reason).toContain('handler.mjs:3')
    expect(logged?.errorStack).toMatch(/handler\.mjs:3:\d+\)/)
    expect(logged?.errorStack).not.toContain('worker eval')
    expect(JSON.stringify(thrown)).not.toContain('at ')
    expect(fx.workbench.widgets.errors()).toEqual([
      expect.objectContaining({
        widget: 'typo',
        field: 'handler',
        message: expect.stringMatching(/SyntaxError: .*\(handler\.mjs:2\)$/),
      }),
    ])
  })

  it('confines template and handler to the widget folder and reports a symlinked widget folder', async () => {
    await writeFile(join(outside, 'secret.txt'), 'host secrets')
    await writeWidget('escape', 'export default () => ({})', {
      ...base,
      template: '../../../../../../../etc/hostname',
    })
    await writeWidget('linked', 'export default () => ({})', { ...base, template: 'link.html' })
    await symlink(join(outside, 'secret.txt'), join(project, 'linked', 'link.html'))
    await mkdir(join(outside, 'real-widget'))
    await writeFile(join(outside, 'real-widget', 'widget.json'), JSON.stringify(base))
    await symlink(join(outside, 'real-widget'), join(project, 'aliased'))
    await writeWidget('ok', 'export default () => ({})')
    fx = await startWorkbench({ auth: { issuer: 'off' }, projectDir: project })
    expect(fx.workbench.widgets.list().map((w) => w.id)).toEqual(['ok'])
    const errors = fx.workbench.widgets.errors()
    expect(errors).toEqual([
      expect.objectContaining({
        widget: 'aliased',
        message: expect.stringContaining('symbolic link'),
      }),
      expect.objectContaining({
        widget: 'escape',
        field: 'template',
        message: expect.stringContaining('outside the widget folder'),
      }),
      expect.objectContaining({
        widget: 'linked',
        field: 'template',
        message: expect.stringContaining('outside the widget folder'),
      }),
    ])
  })

  it('keeps hot reload working after editors save by renaming over the file', async () => {
    await writeWidget('echo', 'export default () => ({ version: 1 })')
    fx = await startWorkbench({ auth: { issuer: 'off' }, projectDir: project })
    const client = await fx.connect()
    const version = async () =>
      (
        ((await client.callTool({ name: 'echo', arguments: {} })) as CallToolResult)
          .structuredContent as { version?: number } | undefined
      )?.version
    for (const v of [2, 3, 4]) {
      await new Promise((r) => setTimeout(r, 60))
      await saveByRename(
        join(project, 'echo', 'handler.mjs'),
        `export default () => ({ version: ${v} })`,
      )
      await until(async () => (await version()) === v, `version ${v}`)
    }
    await saveByRename(
      join(project, 'echo', 'widget.json'),
      JSON.stringify({ ...base, title: 'Renamed' }),
    )
    await until(
      () => fx?.workbench.widgets.get('echo')?.manifest.title === 'Renamed',
      'the renamed-over manifest',
    )
  })
})
