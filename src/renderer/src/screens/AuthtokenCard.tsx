import { useState } from 'react'
import { Card } from '../components/Field'
import { Badge } from '../components/VerdictBadge'
import { clearAuthtoken, setAuthtoken } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'

export function AuthtokenCard({ disabledReason }: { disabledReason: string | null }) {
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
