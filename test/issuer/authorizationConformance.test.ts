import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { root } from '../connect/runConformance'
import { signInOverHttp } from './signInOverHttp'

let fx: Fixture
beforeAll(async () => {
  fx = await startWorkbench({})
})
afterAll(() => fx?.close())

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Runs `conformance authorization`, signing in on the pages it asks a person to open. */
function runSuite(args: string[]): Promise<string> {
  const bin = join(root, 'node_modules', '.bin')
  const child = spawn(join(bin, 'conformance'), args, {
    cwd: root,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  })
  let output = ''
  let signingIn = false
  const onData = (chunk: Buffer) => {
    output += chunk.toString()
    const url = /^(http:\/\/127\.0\.0\.1:\d+\/oauth\/auth\?\S+)$/m.exec(output)?.[1]
    if (url && !signingIn) {
      signingIn = true
      void signInOverHttp(url).catch((err) => (output += `\nsign-in failed: ${err}`))
    }
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  return new Promise((resolve) => child.on('close', () => resolve(output)))
}

describe('the official conformance suite for authorization servers, against the development issuer', () => {
  it('passes every scenario with a client registered by DCR', async () => {
    const issuer = fx.workbench.devIssuer()?.issuer() as string
    const port = await freePort()
    const registration = await fetch(`${issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'conformance authorization suite',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: [`http://127.0.0.1:${port}/callback`],
        grant_types: ['authorization_code', 'refresh_token'],
      }),
    })
    expect(registration.status).toBe(201)
    const { client_id: clientId } = (await registration.json()) as { client_id: string }
    const output = await runSuite([
      'authorization',
      '--url',
      issuer,
      '--client-id',
      clientId,
      '--resource',
      fx.workbench.resource(),
      '-p',
      String(port),
      '-o',
      mkdtempSync(join(tmpdir(), 'conformance-as-')),
    ])
    expect(output).toMatch(/authorization-code-grant/)
    const scenarios = [...output.matchAll(/^([✓✗]) (\S+): (\d+) passed, (\d+) failed/gm)]
    expect(scenarios.map((s) => s[2]).sort()).toEqual([
      'authorization-code-grant',
      'authorization-server-metadata-endpoint',
    ])
    expect(
      scenarios.filter((s) => s[1] !== '✓').map((s) => s[2]),
      output.slice(-3000),
    ).toEqual([])
    expect(output).toMatch(/Total: \d+ passed, 0 failed/)
  }, 120_000)
})
