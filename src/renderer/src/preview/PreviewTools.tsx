import { useState } from 'react'
import type { PreviewRpcResult } from '../../../shared/contract'
import { Card } from '../components/Field'
import { JsonBlock } from '../components/JsonBlock'
import { useWorkbench } from '../store/useWorkbench'
import { run } from '../store/workbenchApi'

const METHODS = [
  'tools/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'ping',
  'tools/call',
]

/** Send any JSON-RPC method as the Preview identity, on its session, and see the raw reply. */
export function RawConsole() {
  const identity = useWorkbench((s) => s.previewIdentity)
  const [method, setMethod] = useState('tools/list')
  const [params, setParams] = useState('{}')
  const [error, setError] = useState<string | null>(null)
  const [history, setHistory] = useState<PreviewRpcResult[]>([])
  const [busy, setBusy] = useState(false)
  const send = async (): Promise<void> => {
    let parsed: Record<string, unknown> | undefined
    try {
      const value: unknown = params.trim() ? JSON.parse(params) : undefined
      if (
        value !== undefined &&
        (typeof value !== 'object' || value === null || Array.isArray(value))
      )
        throw new Error('params must be a JSON object')
      parsed = value as Record<string, unknown> | undefined
    } catch (err) {
      return setError(`Params: ${err instanceof Error ? err.message : String(err)}`)
    }
    setError(null)
    setBusy(true)
    const reply = await run('preview:request', [method.trim(), parsed, identity], {
      title: `${method} failed`,
    })
    setBusy(false)
    if (reply) setHistory((h) => [reply, ...h].slice(0, 20))
  }
  return (
    <Card title="JSON-RPC console">
      <p className="muted small">
        Any method, as the “Call as” identity, on Preview's MCP session. Replies are shown raw.
      </p>
      <div className="console-row">
        <input
          aria-label="Method"
          list="console-methods"
          value={method}
          onChange={(e) => setMethod(e.target.value)}
          className="mono"
        />
        <datalist id="console-methods">
          {METHODS.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <button
          type="button"
          className="button button-primary"
          disabled={busy || !method.trim()}
          onClick={() => void send()}
        >
          {busy ? 'Sending…' : 'Send'}
        </button>
      </div>
      <textarea
        aria-label="Params (JSON)"
        className="mono console-params"
        rows={3}
        value={params}
        onChange={(e) => setParams(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && (e.metaKey || e.ctrlKey) && void send()}
      />
      {error && <p className="inline-error small">{error}</p>}
      {history.map((h, i) => (
        <div key={history.length - i} className="console-exchange">
          <span className="muted small">
            {(h.request as { method?: string }).method} as {h.identityLabel} · {h.elapsedMs} ms
            {h.eventId !== null && ` · request #${h.eventId}`}
          </span>
          <JsonBlock
            label="Reply"
            value={h.httpError ?? h.reply ?? '(notification: no reply)'}
            maxHeight={240}
          />
        </div>
      ))}
    </Card>
  )
}

type Listed = { uri: string; name?: string; mimeType?: string }

/** The server's resources as the Preview identity sees them; read one to see its contents and _meta. */
export function ResourcesBrowser() {
  const identity = useWorkbench((s) => s.previewIdentity)
  const [resources, setResources] = useState<Listed[] | null>(null)
  const [read, setRead] = useState<{ uri: string; reply: unknown } | null>(null)
  const list = async (): Promise<void> => {
    const reply = await run('preview:request', ['resources/list', {}, identity], {
      title: 'resources/list failed',
    })
    const result = (reply?.reply as { result?: { resources?: Listed[] } } | null)?.result
    setResources(result?.resources ?? [])
  }
  const open = async (uri: string): Promise<void> => {
    const reply = await run('preview:request', ['resources/read', { uri }, identity], {
      title: `Reading ${uri} failed`,
    })
    if (reply) setRead({ uri, reply: reply.httpError ?? reply.reply })
  }
  return (
    <Card
      title="Resources"
      actions={
        <button type="button" className="button button-small" onClick={() => void list()}>
          {resources ? 'Refresh' : 'List resources'}
        </button>
      }
    >
      {resources && resources.length === 0 && (
        <p className="muted small">The server lists no resources.</p>
      )}
      {resources && resources.length > 0 && (
        <ul className="resource-list">
          {resources.map((r) => (
            <li key={r.uri}>
              <button
                type="button"
                className="button button-small button-ghost mono"
                onClick={() => void open(r.uri)}
              >
                {r.uri}
              </button>
              <span className="muted small"> {r.mimeType ?? ''}</span>
            </li>
          ))}
        </ul>
      )}
      {read && <JsonBlock label={read.uri} value={read.reply} maxHeight={320} />}
    </Card>
  )
}
