import { describe, expect, it } from 'vitest'
import { selectChecklist } from '../../../src/renderer/src/store/checklist'
import { appState } from '../fixtures'

const none = {
  challengeSeen: false,
  signedInCallSeen: false,
  protectedCallAllowed: false,
  publicRequestSeen: false,
}
const done = (items: ReturnType<typeof selectChecklist>) =>
  items.filter((i) => i.done).map((i) => i.id)

describe('overview checklist', () => {
  it('ticks nothing before the first state arrives', () => {
    expect(done(selectChecklist(null, none))).toEqual([])
  })

  it('ticks server, issuer and a protected widget from state alone', () => {
    expect(done(selectChecklist(appState(), none))).toEqual(['server', 'issuer', 'protected'])
  })

  it('ticks the auth steps from the log milestones and the public URL from status', () => {
    const base = appState()
    const app = appState({
      status: {
        ...base.status,
        publicUrl: 'https://x.ngrok.app',
        connectorUrl: 'https://x.ngrok.app/mcp',
      },
    })
    const probe = { url: 'https://x.ngrok.app', ok: true, detail: 'answers' }
    expect(
      done(
        selectChecklist(
          app,
          { ...none, challengeSeen: true, signedInCallSeen: true, protectedCallAllowed: true },
          probe,
        ),
      ),
    ).toEqual(['server', 'issuer', 'protected', 'challenge', 'signedIn', 'realToken', 'public'])
  })

  it("does not tick the public URL until it answers with this server's metadata", () => {
    const base = appState()
    const app = appState({
      status: {
        ...base.status,
        publicUrl: 'https://x.example',
        connectorUrl: 'https://x.example/mcp',
      },
    })
    const item = (probe: Parameters<typeof selectChecklist>[2]) =>
      selectChecklist(app, none, probe).find((i) => i.id === 'public')
    expect(item(null)).toMatchObject({
      done: false,
      hint: expect.stringContaining('Checking that https://x.example'),
    })
    expect(
      item({
        url: 'https://x.example',
        ok: false,
        detail: 'It did not answer: could not resolve x.example.',
      }),
    ).toMatchObject({
      done: false,
      hint: expect.stringContaining('could not resolve x.example'),
    })
    expect(item({ url: 'https://old.example', ok: true, detail: 'answers' })?.done).toBe(false)
  })

  it('does not tick the issuer while it is failing', () => {
    const base = appState()
    const app = appState({
      status: {
        ...base.status,
        issuer: { ...base.status.issuer, state: 'failed', error: 'discovery failed' },
      },
    })
    expect(done(selectChecklist(app, none))).not.toContain('issuer')
  })
})
