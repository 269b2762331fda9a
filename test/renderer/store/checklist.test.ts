import { describe, expect, it } from 'vitest'
import { selectChecklist } from '../../../src/renderer/src/store/checklist'
import { appState } from '../fixtures'

const none = { challengeSeen: false, signedInCallSeen: false, protectedCallAllowed: false, publicRequestSeen: false }
const done = (items: ReturnType<typeof selectChecklist>) => items.filter((i) => i.done).map((i) => i.id)

describe('overview checklist', () => {
  it('ticks nothing before the first state arrives', () => {
    expect(done(selectChecklist(null, none))).toEqual([])
  })

  it('ticks server, issuer and a protected widget from state alone', () => {
    expect(done(selectChecklist(appState(), none))).toEqual(['server', 'issuer', 'protected'])
  })

  it('ticks the auth steps from the log milestones and the public URL from status', () => {
    const base = appState()
    const app = appState({ status: { ...base.status, publicUrl: 'https://x.ngrok.app', connectorUrl: 'https://x.ngrok.app/mcp' } })
    expect(done(selectChecklist(app, { ...none, challengeSeen: true, signedInCallSeen: true, protectedCallAllowed: true }))).toEqual([
      'server', 'issuer', 'protected', 'challenge', 'signedIn', 'realToken', 'public',
    ])
  })

  it('does not tick the issuer while it is failing', () => {
    const base = appState()
    const app = appState({ status: { ...base.status, issuer: { ...base.status.issuer, state: 'failed', error: 'discovery failed' } } })
    expect(done(selectChecklist(app, none))).not.toContain('issuer')
  })
})
