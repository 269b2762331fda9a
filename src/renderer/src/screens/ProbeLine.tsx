import { probePublicUrl, useProbedPublicUrl } from '../store/publicUrlProbe'
import { useWorkbench } from '../store/useWorkbench'

export function ProbeLine() {
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
