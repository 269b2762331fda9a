import { useEffect, useState } from 'react'
import { PublicUrlSchema } from '../../../shared/publicUrl'
import { Card, Field } from '../components/Field'
import { CopyButton } from '../components/CopyButton'
import { UnavailableNote, useFeatureReason } from '../components/Unavailable'
import { Badge } from '../components/VerdictBadge'
import {
  clearAuthtoken,
  setAuthtoken,
  setCustomUrl,
  startTunnel,
  stopTunnel,
  updateConfig,
} from '../store/actions'
import { probePublicUrl, useProbedPublicUrl } from '../store/publicUrlProbe'
import { useWorkbench } from '../store/useWorkbench'
import { ScreenHeader } from './ScreenHeader'

function AuthtokenCard({ disabledReason }: { disabledReason: string | null }) {
  const tunnel = useWorkbench((s) => s.app!.tunnel)
  const browserMode = useWorkbench((s) => s.app!.mode === 'browser')
  const storage = browserMode
    ? 'Headless mode keeps it in a file only your user account can read (mode 0600, not encrypted) in the data folder.'
    : 'The app stores it encrypted with the OS keychain; where there is none, it asks before storing it unencrypted.'
  const [token, setToken] = useState('')
  const [consent, setConsent] = useState(false)
  const [busy, setBusy] = useState(false)
  const submit = (allowPlaintext: boolean): void => {
    setBusy(true)
    void setAuthtoken(token.trim(), allowPlaintext)
      .then((outcome) => {
        if (outcome === 'ok') {
          setToken('')
          setConsent(false)
        }
        if (outcome === 'needsConsent') setConsent(true)
      })
      .finally(() => setBusy(false))
  }
  const saveReason = disabledReason ?? (token.trim() === '' ? 'Paste an authtoken first' : null)
  return (
    <Card
      title="ngrok authtoken"
      actions={
        <Badge tone={tunnel.authtokenSet ? 'ok' : 'neutral'}>
          {tunnel.authtokenSet
            ? tunnel.authtokenSource === 'env'
              ? 'from NGROK_AUTHTOKEN'
              : 'stored'
            : 'not set'}
        </Badge>
      }
    >
      <p className="muted small">
        Get it from dashboard.ngrok.com → Your Authtoken. {storage} It is never shown again.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!saveReason) submit(false)
        }}
      >
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          aria-label="ngrok authtoken"
          placeholder={tunnel.authtokenSet ? '•••••••• (paste to replace)' : 'Paste your authtoken'}
          value={token}
          disabled={disabledReason !== null}
          onChange={(e) => {
            setToken(e.target.value)
            setConsent(false)
          }}
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={saveReason !== null || busy}
          title={saveReason ?? undefined}
        >
          {tunnel.authtokenSet ? 'Replace' : 'Save'}
        </button>
        <button
          type="button"
          className="button button-ghost"
          disabled={
            !tunnel.authtokenSet || tunnel.authtokenSource === 'env' || disabledReason !== null
          }
          title={
            tunnel.authtokenSource === 'env'
              ? 'Set by NGROK_AUTHTOKEN: unset the variable to remove it'
              : !tunnel.authtokenSet
                ? 'No stored authtoken'
                : undefined
          }
          onClick={() => void clearAuthtoken()}
        >
          Clear
        </button>
      </form>
      {consent && (
        <div className="confirm" role="alertdialog" aria-label="Store in plain text?">
          <p>
            <strong>No OS keychain is available here.</strong> The authtoken would be stored in a
            file readable by your user account only, but not encrypted.
          </p>
          <div className="row-actions">
            <button
              type="button"
              className="button button-danger"
              onClick={() => submit(true)}
              disabled={busy}
            >
              Store it anyway
            </button>
            <button type="button" className="button" onClick={() => setConsent(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </Card>
  )
}

function CustomUrlCard() {
  const saved = useWorkbench((s) => s.app!.config.server.publicUrl)
  const inForce = useWorkbench((s) => saved !== null && s.app!.status.publicUrl === saved)
  const tunnelState = useWorkbench((s) => s.app!.tunnel.state)
  const [url, setUrl] = useState(saved ?? '')
  useEffect(() => setUrl(saved ?? ''), [saved])
  const parsed = PublicUrlSchema.safeParse(url)
  const invalid = url.trim() !== '' && !parsed.success ? parsed.error.issues[0].message : null
  const tunnelBusy = tunnelState !== 'stopped' && tunnelState !== 'failed'
  const reason = tunnelBusy
    ? 'Stop the tunnel first'
    : url.trim() === ''
      ? 'Enter an https URL'
      : invalid
        ? 'Fix the URL first'
        : parsed.data === saved
          ? 'Already in force'
          : null
  return (
    <Card
      title="Custom public URL"
      actions={
        saved ? (
          <Badge tone={inForce ? 'ok' : 'neutral'}>
            {inForce ? 'in force' : 'saved; the tunnel URL wins'}
          </Badge>
        ) : undefined
      }
    >
      <p className="muted small">
        Use another tunnel or a real domain that forwards to this machine: same effect as ngrok, no
        ngrok.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!reason && parsed.success) void setCustomUrl(parsed.data)
        }}
      >
        <input
          className="mono"
          aria-label="Custom public URL"
          aria-invalid={invalid !== null}
          placeholder="https://mcp.example.com"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <button
          type="submit"
          className="button"
          disabled={reason !== null}
          title={reason ?? undefined}
        >
          Use
        </button>
        <button
          type="button"
          className="button button-ghost"
          disabled={!saved || tunnelBusy}
          title={!saved ? 'No custom URL set' : tunnelBusy ? 'Stop the tunnel first' : undefined}
          onClick={() => void setCustomUrl(null)}
        >
          Remove
        </button>
      </form>
      {invalid && (
        <p className="field-error" role="alert">
          {invalid}
        </p>
      )}
    </Card>
  )
}

function ProbeLine() {
  const { probe, checking } = useProbedPublicUrl()
  const publicUrl = useWorkbench((s) => s.app!.status.publicUrl)
  if (!publicUrl) return null
  const current = probe?.url === publicUrl ? probe : null
  return (
    <div className="probe-line" role="status" aria-label="Public URL check">
      {checking || !current ? (
        <span className="muted">Checking that it reaches this server…</span>
      ) : current.ok ? (
        <span className="pass">✓ Answers with this server's metadata</span>
      ) : (
        <span className="fail-text">✗ {current.detail}</span>
      )}
      <button
        type="button"
        className="button button-small button-ghost"
        disabled={checking}
        onClick={() => void probePublicUrl()}
      >
        Re-check
      </button>
    </div>
  )
}

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
      <Card
        title="ngrok tunnel"
        actions={
          <Badge
            tone={
              tunnel.state === 'online'
                ? 'ok'
                : tunnel.state === 'failed'
                  ? 'bad'
                  : tunnel.state === 'stopped'
                    ? 'neutral'
                    : 'warn'
            }
          >
            {tunnel.state}
          </Badge>
        }
      >
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
