// Child process of bench/run.ts: our server and a reference server built the way the SDK v2 docs do it.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { toNodeHandler } from '@modelcontextprotocol/node'
import {
  bearerAuthChallengeResponse,
  createMcpHandler,
  McpServer,
  verifyBearerToken,
  type AuthInfo,
} from '@modelcontextprotocol/server'
import { z } from 'zod'
import { startLocalIssuer } from '../test/support/localIssuer'
import { createWorkbench } from '../src/main/core'

const AUD = 'https://bench.workbench.test/mcp'
const issuer = await startLocalIssuer()
const token = await issuer.mint(
  { sub: 'bench|alice', aud: AUD, scope: 'user read:data', name: 'Alice' },
  {},
)

const dir = await mkdtemp(join(tmpdir(), 'workbench-bench-'))
await writeFile(
  join(dir, 'config.json'),
  JSON.stringify({ server: { port: 0 }, auth: { issuer: issuer.issuer, audience: AUD } }),
)
const workbench = await createWorkbench({
  configPath: join(dir, 'config.json'),
  dataDir: join(dir, 'data'),
  logCapacity: 10_000,
})
await workbench.start()

// Reference: the SDK v2 entry as its docs show it: createMcpHandler with a McpServer factory (one instance per
// request, both eras), verifyBearerToken + jose, toNodeHandler for node:http.
const jwks = createRemoteJWKSet(new URL(issuer.jwksUri))
const verifier = {
  async verifyAccessToken(t: string): Promise<AuthInfo> {
    const { payload } = await jwtVerify(t, jwks, { issuer: issuer.issuer, audience: AUD })
    return {
      token: t,
      clientId: String(payload.azp ?? 'client'),
      scopes: String(payload.scope ?? '').split(' '),
      expiresAt: payload.exp,
      extra: { claims: payload },
    }
  },
}
const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'reference', version: '1.0.0' })
  const inputSchema = z.object({ message: z.string().default('Hello') })
  server.registerTool(
    'protected-widget',
    { title: 'Protected Widget', description: 'needs user read:data', inputSchema },
    async ({ message }, ctx) => {
      const claims = (ctx.http?.authInfo?.extra?.claims ?? {}) as Record<string, unknown>
      const scopes = ctx.http?.authInfo?.scopes ?? []
      const out = {
        message: `Hello, ${String(claims.name ?? 'User')}!`,
        user_id: claims.sub,
        email: claims.email ?? 'N/A',
        scopes,
        has_read: scopes.includes('read:data'),
        has_write: scopes.includes('write:data'),
        has_admin: scopes.includes('admin'),
        input_message: message,
      }
      return { structuredContent: out, content: [{ type: 'text', text: JSON.stringify(out) }] }
    },
  )
  return server
})
const serveMcp = toNodeHandler(handler)
const app = async (
  req: IncomingMessage & { auth?: AuthInfo },
  res: import('node:http').ServerResponse,
) => {
  try {
    req.auth = await verifyBearerToken(req.headers.authorization, { verifier })
  } catch (err) {
    const challenge = bearerAuthChallengeResponse(err)
    res.writeHead(challenge.status, Object.fromEntries(challenge.headers))
    return void res.end(await challenge.text())
  }
  await serveMcp(req, res)
}
const reference = createServer((req, res) => void app(req, res))
await new Promise<void>((resolve) => reference.listen(0, '127.0.0.1', resolve))

// CPU time of this process, so the driver can charge each round its server-side microseconds per call.
const cpu = createServer((_req, res) => {
  const { user, system } = process.cpuUsage()
  res.end(String(user + system))
})
await new Promise<void>((resolve) => cpu.listen(0, '127.0.0.1', resolve))

const portOf = (server: { address(): unknown }) => (server.address() as AddressInfo).port
const endpoints = {
  ours: workbench.mcpUrl(),
  reference: `http://127.0.0.1:${portOf(reference)}/mcp`,
  cpu: `http://127.0.0.1:${portOf(cpu)}/`,
  token,
}
process.stdout.write(`${JSON.stringify(endpoints)}\n`)
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
