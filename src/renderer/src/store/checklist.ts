import type { AppState } from '../../../shared/contract'
import type { PublicUrlProbe } from '../../../shared/publicUrl'
import type { Milestones } from './types'

export interface ChecklistItem {
  id: string
  title: string
  done: boolean
  hint: string
}

/**
 * From launch to "protected widget called with a real token", ticked from state and the log; the public URL
 * only once a probe found it answering with this server's metadata. Pure.
 */
export function selectChecklist(
  app: AppState | null,
  milestones: Milestones,
  probe: PublicUrlProbe | null = null,
): ChecklistItem[] {
  const status = app?.status
  const publicUrl = status?.publicUrl ?? null
  const answers = publicUrl !== null && probe?.url === publicUrl && probe.ok
  const publicHint =
    publicUrl === null
      ? 'Tunnel screen: start ngrok or set a custom URL.'
      : probe?.url !== publicUrl
        ? `Checking that ${publicUrl} reaches this server…`
        : `${probe.detail} Check the tunnel or the forwarding, then Re-check on the Tunnel screen.`
  const hasProtected = app?.widgets.some((w) => w.effectiveMode === 'required') ?? false
  return [
    {
      id: 'server',
      title: 'MCP server listening',
      done: status?.listening ?? false,
      hint: 'Starts with the app; check the port if it does not.',
    },
    {
      id: 'issuer',
      title: 'Issuer ready',
      done: status?.issuer.state === 'ready',
      hint: 'Auth screen: the development issuer works out of the box.',
    },
    {
      id: 'protected',
      title: 'A widget requires auth',
      done: hasProtected,
      hint: 'Widgets screen: set one to Required.',
    },
    {
      id: 'challenge',
      title: 'Anonymous call challenged',
      done: milestones.challengeSeen,
      hint: 'Preview: call a required widget as Anonymous.',
    },
    {
      id: 'signedIn',
      title: 'Signed-in call reached the server',
      done: milestones.signedInCallSeen,
      hint: 'Preview: Connect, or pick a test user.',
    },
    {
      id: 'realToken',
      title: 'Protected widget called with a real token',
      done: milestones.protectedCallAllowed,
      hint: 'Preview: call the required widget signed in.',
    },
    { id: 'public', title: 'Public connector URL for ChatGPT', done: answers, hint: publicHint },
  ]
}
