import { useEffect } from 'react'
import { create } from 'zustand'
import type { PublicUrlProbe } from '../../../shared/publicUrl'
import { useWorkbench } from './useWorkbench'
import { run } from './workbenchApi'

interface ProbeState {
  /** The last answer, for the URL it was about; `checking` while a probe runs. */
  probe: PublicUrlProbe | null
  checking: boolean
}

/**
 * Whether the public URL in force reaches this server (a fetch of its metadata through it, by
 * main).
 */
export const usePublicUrlProbe = create<ProbeState>(() => ({ probe: null, checking: false }))

export async function probePublicUrl(): Promise<void> {
  usePublicUrlProbe.setState({ checking: true })
  const probe = await run('tunnel:probePublicUrl', [], { quiet: true })
  usePublicUrlProbe.setState({ probe, checking: false })
}

/** Probes again whenever the public URL in force changes. */
export function useProbedPublicUrl(): ProbeState {
  const publicUrl = useWorkbench((s) => s.app?.status.publicUrl ?? null)
  useEffect(() => {
    const known = usePublicUrlProbe.getState().probe?.url ?? null
    if (publicUrl === null) usePublicUrlProbe.setState({ probe: null, checking: false })
    else if (publicUrl !== known) void probePublicUrl()
  }, [publicUrl])
  return usePublicUrlProbe()
}
