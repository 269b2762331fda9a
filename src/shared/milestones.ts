import type { RequestEvent } from './events'

/** Sticky facts for the Overview checklist: they survive a log clear and a restart. */
export interface Milestones {
  challengeSeen: boolean
  signedInCallSeen: boolean
  protectedCallAllowed: boolean
  publicRequestSeen: boolean
}

export const NO_MILESTONES: Milestones = {
  challengeSeen: false,
  signedInCallSeen: false,
  protectedCallAllowed: false,
  publicRequestSeen: false,
}

function isSignedIn(event: RequestEvent): boolean {
  return (
    event.rpcMethod === 'tools/call' &&
    event.identity !== null &&
    (event.verdict === 'allowed' || event.verdict === 'insufficient_scope')
  )
}

/** Folds a batch into the milestones; returns the same object when nothing changed. */
export function advanceMilestones(
  milestones: Milestones,
  batch: readonly RequestEvent[],
): Milestones {
  let next = milestones
  for (const event of batch) {
    const facts: Partial<Milestones> = {}
    if (event.verdict === 'challenged' && !next.challengeSeen) facts.challengeSeen = true
    if (isSignedIn(event) && !next.signedInCallSeen) facts.signedInCallSeen = true
    if (
      event.rpcMethod === 'tools/call' &&
      event.verdict === 'allowed' &&
      event.widgetMode === 'required' &&
      !next.protectedCallAllowed
    )
      facts.protectedCallAllowed = true
    if (event.viaPublicUrl && !next.publicRequestSeen) facts.publicRequestSeen = true
    if (Object.keys(facts).length > 0) next = { ...next, ...facts }
  }
  return next
}

/** Either side's facts: a fact once seen stays seen. */
export function mergeMilestones(a: Milestones, b: Milestones): Milestones {
  return {
    challengeSeen: a.challengeSeen || b.challengeSeen,
    signedInCallSeen: a.signedInCallSeen || b.signedInCallSeen,
    protectedCallAllowed: a.protectedCallAllowed || b.protectedCallAllowed,
    publicRequestSeen: a.publicRequestSeen || b.publicRequestSeen,
  }
}
