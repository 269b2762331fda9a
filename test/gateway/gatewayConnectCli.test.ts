import { spawn } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  IDENTITY_JWKS_PATH,
  IDENTITY_TTL_SEC,
  IDENTITY_TYP,
} from '../../src/main/gateway/identityToken'
import { signInOverHttp } from '../issuer/signInOverHttp'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { eventually } from './support'
import { startHttpUpstream, type RunningUpstream } from './upstreamServers'

/** `npm run connect -- …` as a person runs it; the sign-in URL it prints is clicked through over HTTP. */
function runConnectCli(args: string[]): Promise<{ code: number | null; stdout: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/connect.ts', ...args], {
    cwd: resolve(dirname(new URL(import.meta.url).pathname), '../..'),
    env: {
      ...process.env,
      // Only node on PATH: no system browser is opened (the CLI prints the URL too).
      PATH: dirname(process.execPath),
      // The conformance runner's way to script the tool calls: only whoami.
      MCP_CONFORMANCE_CONTEXT: JSON.stringify({ toolCalls: [{ name: 'whoami', arguments: {} }] }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stdout: string[] = []
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout.push(line)
    const url = /^\s+(http:\/\/127\.0\.0\.1:\d+\/oauth\/auth\?\S+)$/.exec(line)?.[1]
    if (url) void signInOverHttp(url).catch((err) => stdout.push(`sign-in failed: ${err}`))
  })
  createInterface({ input: child.stderr }).on('line', (line) => stdout.push(`stderr: ${line}`))
  return new Promise((done) => child.on('exit', (code) => done({ code, stdout })))
}

describe('npm run connect --as chatgpt against a gateway on loopback (issue 12 item 8)', () => {
  let upstream: RunningUpstream
  let fx: Fixture

  beforeAll(async () => {
    upstream = await startHttpUpstream('recording')
    fx = await startWorkbench({ upstream: { url: upstream.url } })
    await eventually(() => fx.workbench.widgetSummaries().some((w) => w.id === 'whoami'))
  })
  afterAll(async () => {
    await fx?.close()
    await upstream?.stop()
  })

  it('signs in with the development issuer, calls the Required upstream tool, and the upstream sees only the signed identity', async () => {
    const { code, stdout } = await runConnectCli(['--as', 'chatgpt', fx.workbench.mcpUrl()])
    expect(stdout.join('\n')).toMatch(/whoami: ok recorded/)
    expect(stdout.join('\n')).toMatch(/Signed in as dev\|alice with scopes \[.*user.*\]/)
    expect(code).toBe(0)

    const recorded = (await (await fetch(upstream.url.replace('/mcp', '/recorded'))).json()) as {
      headers: Record<string, string>
    }[]
    expect(recorded.some((r) => 'authorization' in r.headers)).toBe(false)
    const identities = recorded.flatMap((r) => r.headers['x-workbench-identity'] ?? [])
    expect(identities.length).toBeGreaterThan(0)
    // Every token-shaped string the upstream ever got is a Workbench identity, never the access token.
    const tokens = JSON.stringify(recorded).match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? []
    expect(new Set(tokens)).toEqual(new Set(identities))
    const jwks = (await (
      await fetch(new URL(IDENTITY_JWKS_PATH, fx.workbench.mcpUrl()))
    ).json()) as JSONWebKeySet
    for (const identity of new Set(identities)) {
      const { payload } = await jwtVerify(identity, createLocalJWKSet(jwks), {
        issuer: fx.workbench.baseUrl(),
        audience: upstream.url,
        typ: IDENTITY_TYP,
      })
      expect(payload.sub).toBe('dev|alice')
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(IDENTITY_TTL_SEC)
    }
  }, 60_000)
})
