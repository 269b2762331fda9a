import { useWorkbench } from '../store/useWorkbench'
import type { AppState } from '../../../shared/contract'

export type FeatureName = keyof AppState['features']

/** Why a feature cannot be used, or null when it can. */
export function useFeatureReason(feature: FeatureName): string | null {
  return useWorkbench((s) => {
    const f = s.app?.features[feature]
    if (!f) return 'Waiting for the Workbench…'
    return f.available ? null : (f.reason ?? 'Not available in this build.')
  })
}

/** The visible reason next to a disabled control: never a dead button without a why. */
export function UnavailableNote({ reason }: { reason: string | null }) {
  if (!reason) return null
  return (
    <p className="unavailable" role="note">
      <span aria-hidden="true">⊘ </span>
      {reason}
    </p>
  )
}
