// Child process of bench/run.ts: one server per process (argv[2]), so none shares another's heap, JIT or GC:
//   ours       the Workbench (auth on, the issuer run.ts started, the request log kept)
//   reference  the SDK v2 entry as its docs show it: createMcpHandler with a McpServer factory (one
//              instance per request, both eras), verifyBearerToken + jose, toNodeHandler for node:http
//   floor      the same entry with a pooled instance, no token and no log (for scale);
//              and, for 2025, the SDK's session transport with no token and no log
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { randomUUID } from 'node:crypto'
import { NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node'
import {
  bearerAuthChallengeResponse,
  createMcpHandler,
  McpServer,
  verifyBearerToken,
  type AuthInfo,
} from '@modelcontextprotocol/server'
import { z } from 'zod'
import { createWorkbench } from '../src/main/core'

const kind = process.argv[2]
const issuer = process.env.BENCH_ISSUER ?? ''
const audience = process.env.BENCH_AUDIENCE ?? ''

async function listen(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`
}

async function ours(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'workbench-bench-'))
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({ server: { port: 0 }, auth: { issuer, audience } }),
  )
  const workbench = await createWorkbench({
    configPath: join(dir, 'config.json'),
    dataDir: join(dir, 'data'),
    logCapacity: 10_000,
  })
  await workbench.start()
  return workbench.mcpUrl()
}

function protectedWidget(server: McpServer): McpServer {
  const inputSchema = z.object({ message: z.string().default('Hello') })
  server.registerTool(
    'protected-widget',
    { title: 'Protected Widget', description: 'needs user read:data', inputSchema },
    async ({ message }, ctx) => {
      const claims = (ctx.http?.authInfo?.extra?.claims ?? {}) as Record<string, unknown>
      const scopes = ctx.http?.authInfo?.scopes ?? []
      const out = {
        message: `Hello, ${String(claims.name ?? 'Alice')}!`,
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
}

async function reference(): Promise<string> {
  const jwks = createRemoteJWKSet(new URL(process.env.BENCH_JWKS ?? ''))
  const verifier = {
    async verifyAccessToken(t: string): Promise<AuthInfo> {
      const { payload } = await jwtVerify(t, jwks, { issuer, audience })
      return {
        token: t,
        clientId: String(payload.azp ?? 'client'),
        scopes: String(payload.scope ?? '').split(' '),
        expiresAt: payload.exp,
        extra: { claims: payload },
      }
    },
  }
  const serveMcp = toNodeHandler(
    createMcpHandler(() => protectedWidget(new McpServer({ name: 'reference', version: '1.0.0' }))),
  )
  return listen((req: IncomingMessage & { auth?: AuthInfo }, res) => {
    void (async () => {
      try {
        req.auth = await verifyBearerToken(req.headers.authorization, { verifier })
      } catch (err) {
        const challenge = bearerAuthChallengeResponse(err)
        res.writeHead(challenge.status, Object.fromEntries(challenge.headers))
        return void res.end(await challenge.text())
      }
      await serveMcp(req, res)
    })()
  })
}

async function floor(): Promise<string> {
  const idle: McpServer[] = []
  const pooled = () => {
    const server = protectedWidget(new McpServer({ name: 'floor', version: '1.0.0' }))
    server.server.onclose = () => idle.push(server)
    return server
  }
  const serveMcp = toNodeHandler(createMcpHandler(() => idle.pop() ?? pooled()))
  return listen((req, res) => void serveMcp(req, res))
}

/** The 2025-era floor: the SDK's session transport, one instance per session, no token and no log. */
async function floorLegacy(): Promise<string> {
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>()
  return listen((req, res) => {
    void (async () => {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      const id = req.headers['mcp-session-id']
      let transport = typeof id === 'string' ? sessions.get(id) : undefined
      if (!transport) {
        const created = new NodeStreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          enableJsonResponse: true,
          onsessioninitialized: (sid) => void sessions.set(sid, created),
        })
        await protectedWidget(new McpServer({ name: 'floor', version: '1.0.0' })).connect(created)
        transport = created
      }
      await transport.handleRequest(req, res, body)
    })()
  })
}

const servers: Record<string, () => Promise<string>> = { ours, reference, floor }
if (!servers[kind]) throw new Error(`bench/servers.ts: unknown server ${kind}`)
const url = await servers[kind]()
const legacyUrl = kind === 'floor' ? await floorLegacy() : url

// CPU time of this process, so the driver can charge each round its server-side microseconds per call.
const cpu = await listen((_req, res) => {
  const { user, system } = process.cpuUsage()
  res.end(String(user + system))
})
process.stdout.write(`${JSON.stringify({ url, legacyUrl, cpu })}\n`)
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
