import { useMemo } from 'react'
import { ConfigBanner } from '../components/ConfigBanner'
import { Badge } from '../components/VerdictBadge'
import { Card } from '../components/Field'
import { CopyButton } from '../components/CopyButton'
import { selectChecklist } from '../store/checklist'
import { useProbedPublicUrl } from '../store/publicUrlProbe'
import { useWorkbench } from '../store/useWorkbench'
import { issuerTone, tunnelTone } from '../statusTone'
import { ScreenHeader } from './ScreenHeader'

function UrlRow({ label, url, missing }: { label: string; url: string | null; missing: string }) {
  return (
    <div className="url-row">
      <span className="url-label">{label}</span>
      <code className={`mono url ${url ? '' : 'muted'}`}>{url ?? missing}</code>
      <CopyButton text={url} disabledReason={missing} />
    </div>
  )
}

const ISSUER_KIND = {
  dev: 'Development issuer',
  off: 'Auth off',
  external: 'External issuer',
} as const

export function OverviewScreen() {
  const status = useWorkbench((s) => s.app!.status)
  const tunnel = useWorkbench((s) => s.app!.tunnel)
  const widgets = useWorkbench((s) => s.app!.widgets)
  const app = useWorkbench((s) => s.app)
  const milestones = useWorkbench((s) => s.milestones)
  const { probe } = useProbedPublicUrl()
  const checklist = useMemo(() => selectChecklist(app, milestones, probe), [app, milestones, probe])
  const setScreen = useWorkbench((s) => s.setScreen)
  const protectedCount = widgets.filter((w) => w.effectiveMode === 'required').length
  const doneCount = checklist.filter((c) => c.done).length
  return (
    <div className="screen">
      <ScreenHeader
        title="Overview"
        subtitle="Your MCP server, its auth and how ChatGPT reaches it."
      />
      <div className="grid-2">
        <Card
          title="Server"
          actions={
            <Badge tone={status.listening ? 'ok' : 'bad'}>
              {status.listening ? 'listening' : 'stopped'}
            </Badge>
          }
        >
          <UrlRow label="Local MCP URL" url={status.mcpUrl} missing="Not listening" />
          <UrlRow
            label="Connector URL"
            url={status.connectorUrl && status.publicUrl ? status.connectorUrl : null}
            missing="No public URL yet: start the tunnel or set a custom URL"
          />
          <dl className="facts">
            <dt>Resource</dt>
            <dd className="mono">{status.resource}</dd>
            <dt>Audience</dt>
            <dd className="mono">{status.audience}</dd>
            <dt>Sessions</dt>
            <dd>{status.sessions}</dd>
            <dt>Widgets</dt>
            <dd>
              {widgets.length} served, {protectedCount} require sign-in
            </dd>
            <dt>Config</dt>
            <dd className="mono">{status.configPath ?? 'none (defaults, in memory)'}</dd>
          </dl>
          <ConfigBanner status={status} />
          {status.gateway && (
            <p
              className={status.gateway.error ? 'inline-error' : 'small'}
              role={status.gateway.error ? 'alert' : undefined}
            >
              Gateway to <code>{status.gateway.target}</code> ({status.gateway.kind},{' '}
              {status.gateway.state}){status.gateway.error ? `: ${status.gateway.error}` : ''}
            </p>
          )}
        </Card>
        <Card
          title="Checklist"
          actions={
            <span className="muted">
              {doneCount} / {checklist.length}
            </span>
          }
        >
          <ol className="checklist">
            {checklist.map((item) => (
              <li key={item.id} className={item.done ? 'done' : ''}>
                <span className="check" aria-hidden="true">
                  {item.done ? '✓' : ''}
                </span>
                <span>
                  <span className="check-title">{item.title}</span>
                  {!item.done && <span className="check-hint">{item.hint}</span>}
                </span>
                <span className="sr-only">{item.done ? 'done' : 'not done'}</span>
              </li>
            ))}
          </ol>
        </Card>
        <Card
          title="Issuer"
          actions={<Badge tone={issuerTone(status.issuer)}>{status.issuer.state}</Badge>}
        >
          <dl className="facts">
            <dt>Mode</dt>
            <dd>{ISSUER_KIND[status.issuer.kind]}</dd>
            <dt>Issuer</dt>
            <dd className="mono">{status.issuer.issuer ?? '—'}</dd>
            <dt>JWKS</dt>
            <dd className="mono">{status.issuer.jwksUri ?? '—'}</dd>
          </dl>
          {status.issuer.error && <p className="inline-error">{status.issuer.error}</p>}
          <button type="button" className="button" onClick={() => setScreen('auth')}>
            Configure auth
          </button>
        </Card>
        <Card title="Tunnel" actions={<Badge tone={tunnelTone(tunnel)}>{tunnel.state}</Badge>}>
          <dl className="facts">
            <dt>Public URL</dt>
            <dd className="mono">{status.publicUrl ?? '—'}</dd>
            <dt>Authtoken</dt>
            <dd>
              {tunnel.authtokenSet
                ? `set (${tunnel.authtokenSource === 'env' ? 'NGROK_AUTHTOKEN' : 'stored'})`
                : 'not set'}
            </dd>
          </dl>
          {tunnel.error && <p className="inline-error">{tunnel.error}</p>}
          {tunnel.unavailable && <p className="unavailable">⊘ {tunnel.unavailable}</p>}
          <button type="button" className="button" onClick={() => setScreen('tunnel')}>
            Open tunnel settings
          </button>
        </Card>
      </div>
    </div>
  )
}
