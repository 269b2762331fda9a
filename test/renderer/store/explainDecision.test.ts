import { describe, expect, it } from 'vitest'
import { explainDecision } from '../../../src/renderer/src/store/explainDecision'
import { requestEvent, widget } from '../fixtures'

const bob = { subject: 'dev|bob', clientId: 'c', scopes: ['user'], name: 'Bob' }
const protectedWidget = widget({ id: 'protected-widget', effectiveScopes: ['user', 'read:data'] })

describe('explainDecision', () => {
  it('says a step-up as one sentence naming the missing scope once', () => {
    const event = requestEvent({
      tool: 'protected-widget',
      widgetMode: 'required',
      verdict: 'insufficient_scope',
      identity: bob,
      reason: 'required auth; token lacks read:data: step-up requested',
    })
    expect(explainDecision(event, [protectedWidget])).toBe(
      'Bob lacks read:data, which protected-widget requires: step-up requested.',
    )
    expect(explainDecision(event, [])).toBe(
      'Bob lacks read:data, which protected-widget requires: step-up requested.',
    )
  })

  it('says a sign-in challenge with the scopes the widget asks for', () => {
    const event = requestEvent({
      tool: 'protected-widget',
      widgetMode: 'required',
      verdict: 'challenged',
      reason: 'required auth; no token: sign-in requested',
    })
    expect(explainDecision(event, [protectedWidget])).toBe(
      'No token sent, and protected-widget requires sign-in with user read:data: sign-in requested (ChatGPT shows Connect).',
    )
  })

  it('does not end a sentence twice when the reason has its own full stop', () => {
    const event = requestEvent({
      verdict: 'forbidden',
      tool: null,
      reason: 'Host evil.test is not allowed.',
    })
    expect(explainDecision(event)).toBe('Refused before auth: Host evil.test is not allowed.')
  })

  it('says an allowed call as who has what the widget requires', () => {
    const alice = {
      subject: 'dev|alice',
      clientId: 'c',
      scopes: ['user', 'read:data'],
      name: 'Alice',
    }
    const event = requestEvent({
      tool: 'protected-widget',
      widgetMode: 'required',
      verdict: 'allowed',
      identity: alice,
    })
    expect(explainDecision(event, [protectedWidget])).toBe(
      'Alice has user read:data, which protected-widget requires: allowed.',
    )
  })
})
