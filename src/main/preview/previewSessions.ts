import { createHash } from 'node:crypto'
import { UI_EXTENSION_ID } from '../widgets/toolVisibility'
import {
  Client,
  StreamableHTTPClientTransport,
  type JSONRPCMessage,
} from '@modelcontextprotocol/client'
import { TRACE_HEADER } from '../log/requestTraces'
import { currentTraceId } from './previewTrace'

export interface HttpRefusal {
  status: number
  wwwAuthenticate: string | null
  body: string
}

/** Thrown when the server refused a Preview request at HTTP level (a token that failed verification). */
export class PreviewRefusedError extends Error {
  constructor(readonly refusal: HttpRefusal) {
    super(`HTTP ${refusal.status}`)
  }
}

/** One MCP session of Preview, for one identity: the widget's calls, the view's calls and replays share it. */
export interface PreviewSession {
  client: Client
  /**
   * Sends one JSON-RPC message as is on the session and resolves with the server's raw reply (null for a
   * notification), for the raw console and the view's pass-through requests.
   */
  exchange(
    message: JSONRPCMessage,
    options?: { signal?: AbortSignal },
  ): Promise<JSONRPCMessage | null>
}

export interface PreviewSessionPool {
  /** Runs `use` on the identity's session, opened on first use; a session the server dropped is reopened once. */
  run<T>(
    key: string,
    token: string | null,
    use: (session: PreviewSession) => Promise<T>,
  ): Promise<T>
  /** Keys of the open sessions. */
  openKeys(): string[]
  /** Closes every session (a DELETE each). */
  close(): Promise<void>
}

/** A stable key for who a call runs as; a pasted token is hashed so the key never holds a credential. */
export function identityKey(choice: { kind: string; subject?: string; token?: string }): string {
  if (choice.kind === 'token' && choice.token) {
    return `token:${createHash('sha256').update(choice.token).digest('hex').slice(0, 16)}`
  }
  return choice.kind === 'testUser' ? `testUser:${choice.subject}` : choice.kind
}

const MCP_APP_MIME = 'text/html;profile=mcp-app'
const IDLE_MS = 10 * 60_000
const MAX_SESSIONS = 16

interface Entry {
  session: PreviewSession
  transport: StreamableHTTPClientTransport
  url: string
  lastUsed: number
  /** The bearer sent from now on: a test user's token is minted anew for each call. */
  token: string | null
  refusal: HttpRefusal | null
}

async function openEntry(url: string, token: string | null): Promise<Entry> {
  const waiting = new Map<number | string, (reply: JSONRPCMessage) => void>()
  const entry = { url, lastUsed: Date.now(), token, refusal: null } as Entry
  const authorizedFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers)
    if (entry.token) headers.set('authorization', `Bearer ${entry.token}`)
    const traceId = currentTraceId()
    if (traceId) headers.set(TRACE_HEADER, traceId)
    const response = await fetch(input, { ...init, headers })
    if (response.status === 401 || response.status === 403) {
      const body = await response.clone().text()
      entry.refusal = {
        status: response.status,
        wwwAuthenticate: response.headers.get('www-authenticate'),
        body,
      }
    }
    return response
  }
  entry.transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: authorizedFetch,
    // The server going away ends the session; Preview reopens one on its next call.
    reconnectionOptions: {
      maxRetries: 0,
      initialReconnectionDelay: 1000,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 1,
    },
  })
  // Preview is a host that renders views: it says so, and sees app-only tools as ChatGPT would.
  const client = new Client(
    { name: 'workbench-preview', version: '1.0.0' },
    { capabilities: { extensions: { [UI_EXTENSION_ID]: { mimeTypes: [MCP_APP_MIME] } } } },
  )
  entry.session = {
    client,
    async exchange(message, options = {}) {
      if (!('id' in message) || !('method' in message)) {
        await entry.transport.send(message)
        return null
      }
      const id = message.id
      const reply = new Promise<JSONRPCMessage>((resolve, reject) => {
        waiting.set(id, resolve)
        options.signal?.addEventListener('abort', () => reject(options.signal?.reason), {
          once: true,
        })
      })
      try {
        await entry.transport.send(message)
        return await reply
      } finally {
        waiting.delete(id)
      }
    },
  }
  const start = entry.transport.start.bind(entry.transport)
  entry.transport.start = async () => {
    // Replies to exchange() go to their caller as received; the SDK never saw their request.
    const inner = entry.transport.onmessage
    entry.transport.onmessage = (message: JSONRPCMessage) => {
      const id = 'id' in message && !('method' in message) ? message.id : undefined
      const resolve = id === undefined ? undefined : waiting.get(id)
      if (resolve) resolve(message)
      else inner?.(message)
    }
    await start()
  }
  await client.connect(entry.transport).catch((err: unknown) => {
    throw entry.refusal ? new PreviewRefusedError(entry.refusal) : err
  })
  return entry
}

async function closeEntry(entry: Entry): Promise<void> {
  await entry.transport.terminateSession().catch(() => {})
  await entry.session.client.close().catch(() => {})
}

function isSessionGone(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err)
  return /\b404\b|session not found/i.test(text)
}

/**
 * Preview's MCP sessions, one per identity, against the server's own loopback URL. A session idle for ten
 * minutes is closed with a DELETE, as are all of them on `close()` and any left on a URL the server moved from.
 */
export function createPreviewSessionPool(mcpUrl: () => string): PreviewSessionPool {
  const entries = new Map<string, Promise<Entry>>()
  const sweep = setInterval(() => void closeWhere((e) => e.lastUsed < Date.now() - IDLE_MS), 60_000)
  sweep.unref()

  async function closeWhere(stale: (entry: Entry) => boolean): Promise<void> {
    for (const [key, pending] of entries) {
      const entry = await pending.catch(() => null)
      if (entry && !stale(entry) && entry.url === mcpUrl()) continue
      if (entries.get(key) === pending) entries.delete(key)
      if (entry) await closeEntry(entry)
    }
  }

  async function acquire(key: string, token: string | null): Promise<Entry> {
    let pending = entries.get(key)
    const current = pending ? await pending.catch(() => null) : null
    if (current && current.url !== mcpUrl()) {
      entries.delete(key)
      await closeEntry(current)
      pending = undefined
    }
    if (!pending || !current) {
      entries.delete(key)
      if (entries.size >= MAX_SESSIONS) {
        const oldest = [...entries.keys()][0]
        void entries.get(oldest)?.then(closeEntry, () => {})
        entries.delete(oldest)
      }
      const opening = openEntry(mcpUrl(), token)
      entries.set(key, opening)
      opening.catch(() => entries.get(key) === opening && entries.delete(key))
      pending = opening
    }
    const entry = await pending
    entry.token = token
    entry.refusal = null
    entry.lastUsed = Date.now()
    return entry
  }

  return {
    async run(key, token, use) {
      for (let attempt = 0; ; attempt++) {
        const entry = await acquire(key, token)
        try {
          return await use(entry.session)
        } catch (err) {
          if (entry.refusal) throw new PreviewRefusedError(entry.refusal)
          if (attempt > 0 || !isSessionGone(err)) throw err
          entries.delete(key)
          await closeEntry(entry)
        }
      }
    },
    openKeys: () => [...entries.keys()],
    async close() {
      clearInterval(sweep)
      const all = [...entries.values()]
      entries.clear()
      await Promise.all(all.map((p) => p.then(closeEntry).catch(() => {})))
    },
  }
}
