// HTTP for the benches: keep-alive requests, JSON-RPC posts and a 2025-era MCP session.
import { Agent, request } from 'node:http'

/** Keep-alive sockets for the bench's load generators (at most 64 calls in flight). */
const agent = new Agent({ keepAlive: true, maxSockets: 64 })

export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

/** One HTTP request with a keep-alive agent; the body is sent as is when a string. */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  const u = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: options.method ?? 'GET',
        agent,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return httpRequest(url, {
    method: 'POST',
    body: text,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    },
  })
}

/** initialize + initialized; the headers to send on the session. */
export async function mcpSession(
  url: string,
  auth: Record<string, string> = {},
  protocolVersion = '2025-06-18',
): Promise<Record<string, string>> {
  const init = await postJson(
    url,
    {
      jsonrpc: '2.0',
      id: 'init',
      method: 'initialize',
      params: {
        protocolVersion,
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    },
    auth,
  )
  const sid = init.headers['mcp-session-id']
  const headers: Record<string, string> = { ...auth, 'mcp-protocol-version': protocolVersion }
  if (typeof sid === 'string') headers['mcp-session-id'] = sid
  await postJson(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)
  return headers
}

/** Closes the kept-alive sockets, so the bench process can exit. */
export function closeKeepAlive(): void {
  agent.destroy()
}
