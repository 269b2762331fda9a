// Child process of bench/run.ts: our server and a reference server built the way the SDK's examples do it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js'
import { z } from 'zod'
import { startLocalIssuer } from '../test/support/localIssuer'
import { createWorkbench } from '../src/main/core'

const AUD = 'https://bench.workbench.test/mcp'
const issuer = await startLocalIssuer()
const token = await issuer.mint({ sub: 'bench|alice', aud: AUD, scope: 'user read:data', name: 'Alice' }, {})

const dir = await mkdtemp(join(tmpdir(), 'workbench-bench-'))
await writeFile(join(dir, 'config.json'), JSON.stringify({ server: { port: 0 }, auth: { issuer: issuer.issuer, audience: AUD } }))
const workbench = await createWorkbench({ configPath: join(dir, 'config.json'), dataDir: join(dir, 'data'), logCapacity: 10_000 })
await workbench.start()

// Reference: stateless, a new McpServer + transport per request, requireBearerAuth + jose (SDK example style).
const jwks = createRemoteJWKSet(new URL(issuer.jwksUri))
const app = createMcpExpressApp()
const auth = requireBearerAuth({
  verifier: {
    async verifyAccessToken(t: string) {
      const { payload } = await jwtVerify(t, jwks, { issuer: issuer.issuer, audience: AUD })
      return { token: t, clientId: String(payload.azp ?? 'client'), scopes: String(payload.scope ?? '').split(' '), expiresAt: payload.exp, extra: { claims: payload } }
    },
  },
})
app.post('/mcp', auth, async (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => {
  const server = new McpServer({ name: 'reference', version: '1.0.0' })
  server.registerTool('protected-widget', { title: 'Protected Widget', description: 'needs user read:data', inputSchema: { message: z.string().default('Hello') } }, async ({ message }, extra) => {
    const claims = (extra.authInfo?.extra?.claims ?? {}) as Record<string, unknown>
    const scopes = extra.authInfo?.scopes ?? []
    const out = { message: `Hello, ${claims.name ?? 'User'}!`, user_id: claims.sub, email: claims.email ?? 'N/A', scopes, has_read: scopes.includes('read:data'), has_write: scopes.includes('write:data'), has_admin: scopes.includes('admin'), input_message: message }
    return { structuredContent: out, content: [{ type: 'text', text: JSON.stringify(out) }] }
  })
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })
  res.on('close', () => {
    void transport.close()
    void server.close()
  })
  await server.connect(transport)
  await transport.handleRequest(req, res, req.body)
})
const reference = createServer(app)
await new Promise<void>((resolve) => reference.listen(0, '127.0.0.1', resolve))

// CPU time of this process, so the driver can charge each round its server-side microseconds per call.
const cpu = createServer((_req, res) => {
  const { user, system } = process.cpuUsage()
  res.end(String(user + system))
})
await new Promise<void>((resolve) => cpu.listen(0, '127.0.0.1', resolve))

process.stdout.write(`${JSON.stringify({ ours: workbench.mcpUrl(), reference: `http://127.0.0.1:${(reference.address() as AddressInfo).port}/mcp`, cpu: `http://127.0.0.1:${(cpu.address() as AddressInfo).port}/`, token })}\n`)
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
