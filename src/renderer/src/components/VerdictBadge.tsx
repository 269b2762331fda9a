import type { Verdict } from '../../../shared/events'
import { VERDICT_LABELS } from '../store/logSelectors'

const TONE: Record<Verdict, string> = {
  allowed: 'ok',
  anonymous: 'neutral',
  challenged: 'warn',
  insufficient_scope: 'warn',
  invalid_token: 'bad',
  forbidden: 'bad',
  error: 'bad',
}

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return <span className={`badge badge-${TONE[verdict]}`}>{VERDICT_LABELS[verdict]}</span>
}

export function Badge({
  tone,
  children,
}: {
  tone: 'ok' | 'warn' | 'bad' | 'neutral' | 'info'
  children: React.ReactNode
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>
}
