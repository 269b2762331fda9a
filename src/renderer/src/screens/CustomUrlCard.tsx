import { useEffect, useState } from 'react'
import { PublicUrlSchema } from '../../../shared/publicUrl'
import { Card } from '../components/Field'
import { Badge } from '../components/VerdictBadge'
import { setCustomUrl } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'

export function CustomUrlCard() {
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
