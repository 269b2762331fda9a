import { useState } from 'react'
import type { Upstream } from '../../../shared/config'
import type { UpstreamTestResult } from '../../../shared/gateway'
import { splitCommandLine } from '../../../shared/splitCommandLine'
import { updateConfig } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import { run } from '../store/workbenchApi'
import { Card, Field } from './Field'
import { Segmented } from './Segmented'
import { Badge } from './VerdictBadge'

type Kind = 'folder' | 'url' | 'command'

const STATE_TONE = {
  ready: 'ok',
  starting: 'info',
  restarting: 'warn',
  failed: 'bad',
  stopped: 'neutral',
} as const

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/** The upstream the form describes, or why it cannot be used yet. */
function formUpstream(
  kind: Kind,
  url: string,
  line: string,
  cwd: string,
): { upstream: Upstream } | { error: string } {
  if (kind === 'folder') return { upstream: null }
  if (kind === 'url') {
    return /^https?:\/\/[^\s/]+/.test(url.trim())
      ? { upstream: { url: url.trim() } }
      : { error: 'Enter the http(s) URL of your MCP endpoint' }
  }
  try {
    const [command, ...args] = splitCommandLine(line)
    if (!command) return { error: 'Enter the command that starts your stdio server' }
    return { upstream: { command, args, env: {}, ...(cwd.trim() ? { cwd: cwd.trim() } : {}) } }
  } catch (err) {
    return { error: (err as Error).message }
  }
}

/** "Your server": put the Workbench in front of the developer's own MCP server (gateway mode). */
export function YourServerPanel() {
  const upstream = useWorkbench((s) => s.app!.config.upstream)
  const gateway = useWorkbench((s) => s.app!.status.gateway ?? null)
  const [kind, setKind] = useState<Kind>(
    upstream ? ('url' in upstream ? 'url' : 'command') : 'folder',
  )
  const [url, setUrl] = useState(upstream && 'url' in upstream ? upstream.url : '')
  const [line, setLine] = useState(
    upstream && 'command' in upstream
      ? [upstream.command, ...upstream.args].map(quote).join(' ')
      : '',
  )
  const [cwd, setCwd] = useState(upstream && 'command' in upstream ? (upstream.cwd ?? '') : '')
  const [test, setTest] = useState<UpstreamTestResult | null>(null)
  const [busy, setBusy] = useState(false)
  const form = formUpstream(kind, url, line, cwd)
  const formError = 'error' in form ? form.error : null
  const same = 'upstream' in form && JSON.stringify(form.upstream) === JSON.stringify(upstream)

  const runTest = (): void => {
    if (!('upstream' in form) || !form.upstream) return
    setBusy(true)
    setTest(null)
    void run('upstream:test', [form.upstream], { title: 'Test connection failed' })
      .then((r) => setTest(r))
      .finally(() => setBusy(false))
  }
  const apply = (): void => {
    if ('upstream' in form) void updateConfig({ upstream: form.upstream }, 'your server')
  }

  return (
    <Card
      title="Your server"
      className="your-server"
      actions={
        gateway ? (
          <Badge tone={STATE_TONE[gateway.state]}>gateway {gateway.state}</Badge>
        ) : (
          <Badge tone="neutral">widgets folder</Badge>
        )
      }
    >
      <p className="muted small">
        Gateway mode: the Workbench stands in front of your own MCP server (any SDK, stdio or
        Streamable HTTP), decides auth per tool, and forwards a signed identity, never the token.
      </p>
      <Segmented
        label="Serve"
        value={kind}
        options={[
          { value: 'folder', label: 'Widgets folder', hint: 'Serve the project or sample widgets' },
          { value: 'url', label: 'URL', hint: 'Your server over Streamable HTTP' },
          {
            value: 'command',
            label: 'Command',
            hint: 'Your server over stdio, started by the Workbench',
          },
        ]}
        onChange={(k) => {
          setKind(k)
          setTest(null)
        }}
      />
      {kind === 'url' && (
        <Field label="MCP endpoint" hint="e.g. http://127.0.0.1:3001/mcp">
          <input
            className="mono"
            aria-label="Upstream URL"
            placeholder="http://127.0.0.1:3001/mcp"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </Field>
      )}
      {kind === 'command' && (
        <>
          <Field
            label="Command"
            hint="Split like a shell, never run through one: quotes group words; $VAR and globs are not expanded."
          >
            <input
              className="mono"
              aria-label="Upstream command"
              placeholder="node dist/index.js --stdio"
              value={line}
              onChange={(e) => setLine(e.target.value)}
            />
          </Field>
          <Field label="Working directory" hint="Optional; the Workbench's own when empty.">
            <input
              className="mono"
              aria-label="Upstream working directory"
              value={cwd}
              onChange={(e) => setCwd(e.target.value)}
            />
          </Field>
        </>
      )}
      {formError && (kind === 'command' ? line : url) !== '' && (
        <p className="field-error" role="alert">
          {formError}
        </p>
      )}
      <div className="row-actions">
        {kind !== 'folder' && (
          <button
            type="button"
            className="button"
            disabled={formError !== null || busy}
            title={formError ?? undefined}
            onClick={runTest}
          >
            {busy ? 'Testing…' : 'Test connection'}
          </button>
        )}
        <button
          type="button"
          className="button button-primary"
          disabled={formError !== null || same}
          title={same ? 'Already in use' : (formError ?? undefined)}
          onClick={apply}
        >
          {kind === 'folder' ? 'Serve the widgets folder' : 'Use this server'}
        </button>
      </div>
      {test && !test.ok && (
        <p className="text-bad" role="alert">
          {test.error}
        </p>
      )}
      {test?.ok && (
        <div className="upstream-tools" aria-label="Upstream tools">
          <p className="small">
            {test.tools.length} tool{test.tools.length === 1 ? '' : 's'} in {test.latencyMs} ms:
          </p>
          <ul className="plain-list">
            {test.tools.map((t) => (
              <li key={t.name}>
                <code>{t.name}</code> {t.isWidget && <Badge tone="info">widget</Badge>}{' '}
                <span className="muted small">
                  {t.declaredMode === 'inherit'
                    ? 'declares no securitySchemes (inherit)'
                    : `declares ${t.declaredMode}${t.declaredScopes.length ? ` (${t.declaredScopes.join(' ')})` : ''}`}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {gateway && (
        <div className="small">
          <p>
            In front of <code>{gateway.target}</code>: {gateway.toolCount} tool
            {gateway.toolCount === 1 ? '' : 's'}
            {gateway.pid !== null && <> · pid {gateway.pid}</>}
            {gateway.restarts > 0 && <> · restarted {gateway.restarts}×</>}
          </p>
          {gateway.error && (
            <p className="text-bad" role="alert">
              {gateway.error}
            </p>
          )}
          {gateway.stderrTail.length > 0 && (
            <details>
              <summary>stderr ({gateway.stderrTail.length} lines)</summary>
              <pre className="mono small">{gateway.stderrTail.join('\n')}</pre>
            </details>
          )}
        </div>
      )}
    </Card>
  )
}
