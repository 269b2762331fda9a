import { useWorkbench } from '../store/useWorkbench'

export function ConnectionBanner() {
  const connection = useWorkbench((s) => s.connection)
  const detail = useWorkbench((s) => s.connectionDetail)
  const hasState = useWorkbench((s) => s.app !== null)
  if (connection === 'open' || (connection === 'connecting' && !hasState && !detail)) return null
  return (
    <div
      className={`banner ${connection === 'closed' ? 'banner-bad' : 'banner-warn'}`}
      role="alert"
    >
      <strong>{connection === 'closed' ? 'Disconnected' : 'Reconnecting'}</strong>
      <span>{detail ?? 'Trying to reach the Workbench…'}</span>
    </div>
  )
}
