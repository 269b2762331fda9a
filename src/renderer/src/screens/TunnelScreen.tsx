import { useState } from 'react'
import { Card, Field } from '../components/Field'
import { CopyButton } from '../components/CopyButton'
import { UnavailableNote, useFeatureReason } from '../components/Unavailable'
import { Badge } from '../components/VerdictBadge'
import { startTunnel, stopTunnel, updateConfig } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import { AuthtokenCard } from './AuthtokenCard'
import { CustomUrlCard } from './CustomUrlCard'
import { ProbeLine } from './ProbeLine'
import { ScreenHeader } from './ScreenHeader'
import { tunnelTone } from '../statusTone'

export function TunnelScreen() {
  const tunnel = useWorkbench((s) => s.app!.tunnel)
  const status = useWorkbench((s) => s.app!.status)
  const configuredDomain = useWorkbench((s) => s.app!.config.tunnel.domain)
  const featureReason = useFeatureReason('tunnel')
  const unavailable = featureReason ?? tunnel.unavailable
  const [domain, setDomain] = useState(configuredDomain ?? '')
  const running =
    tunnel.state === 'online' || tunnel.state === 'connecting' || tunnel.state === 'reconnecting'
  const startReason = unavailable ?? (!tunnel.authtokenSet ? 'Save an ngrok authtoken first' : null)
  const connector = status.publicUrl ? status.connectorUrl : null
  const custom = tunnel.state !== 'online' && status.publicUrl !== null
  const saveDomain = (): void => {
    const next = domain.trim() || null
    if (next !== configuredDomain)
      void updateConfig({ tunnel: { domain: next } }, 'the reserved domain')
  }
  return (
    <div className="screen">
      <ScreenHeader
        title="Tunnel"
        subtitle="One click from this machine to a ChatGPT connector URL. Only /mcp and the issuer go through it; this UI never does."
      />
      <UnavailableNote reason={unavailable} />
      <Card title="ngrok tunnel" actions={<Badge tone={tunnelTone(tunnel)}>{tunnel.state}</Badge>}>
        <div className="url-row">
          <span className="url-label">Connector URL{custom ? ' (custom URL)' : ''}</span>
          <code className={`mono url ${connector ? '' : 'muted'}`}>
            {connector ?? 'Start the tunnel, or set a custom URL below'}
          </code>
          <CopyButton
            text={connector}
            disabledReason="No public URL: start the tunnel or set a custom URL"
          />
        </div>
        <ProbeLine />
        <Field
          label="Reserved domain (optional)"
          hint="A domain reserved in your ngrok account keeps the URL stable, so ChatGPT's connector keeps working."
        >
          <input
            className="mono"
            value={domain}
            placeholder="my-app.ngrok.app"
            onChange={(e) => setDomain(e.target.value)}
            onBlur={saveDomain}
            disabled={running}
          />
        </Field>
        <div className="row-actions">
          {running ? (
            <button
              type="button"
              className="button button-danger"
              onClick={() => void stopTunnel()}
            >
              Stop tunnel
            </button>
          ) : (
            <button
              type="button"
              className="button button-primary"
              disabled={startReason !== null}
              title={startReason ?? undefined}
              onClick={() => {
                saveDomain()
                void startTunnel(domain.trim() || null)
              }}
            >
              Start tunnel
            </button>
          )}
          {!running && startReason && <span className="unavailable inline">⊘ {startReason}</span>}
        </div>
        {tunnel.error && (
          <div className="inline-error" role="alert">
            <strong>{tunnel.error}</strong>
            {tunnel.errorCode && <span className="mono small"> ({tunnel.errorCode})</span>}
          </div>
        )}
        {tunnel.warnings.length > 0 && (
          <ul className="warnings">
            {tunnel.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
        {connector && (
          <ol className="steps small">
            <li>In ChatGPT: Settings → Apps → Advanced → Developer mode.</li>
            <li>Create a connector and paste the connector URL above; choose OAuth.</li>
            <li>
              After changing a widget's auth, refresh the connector: ChatGPT caches tool
              definitions.
            </li>
          </ol>
        )}
      </Card>
      <div className="grid-2">
        <AuthtokenCard disabledReason={unavailable} />
        <CustomUrlCard />
      </div>
    </div>
  )
}
