import { describe, expect, it } from 'vitest'
import { createRequestLog, type RequestEventInput } from '../../src/main/log/requestLog'
import { tokenFingerprint } from '../../src/main/log/redact'

const base: RequestEventInput = {
  time: 0,
  method: 'GET',
  path: '/',
  status: 200,
  latencyMs: 1,
  rpcMethod: null,
  rpcId: null,
  tool: null,
  widgetMode: null,
  identity: null,
  verdict: 'anonymous',
  reason: '',
  reasonCode: null,
  claim: null,
  token: null,
  requestHeaders: {},
  requestBody: null,
  responseBody: null,
  viaPublicUrl: false,
}

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl'
const SECRETS = [
  'opaque-refresh-9f8e7d',
  'auth-code-abc123',
  'cs-secret-42',
  'verifier-xyz789',
  'sessval1',
  'interval2',
  JWT,
]

function record(input: Partial<RequestEventInput> & Record<string, unknown>) {
  const log = createRequestLog()
  log.append({ ...base, ...input } as RequestEventInput)
  return JSON.stringify(log.snapshot())
}

describe('the redactor applied when an event is recorded', () => {
  it('fingerprints token responses, form bodies, Location URLs, query strings and every cookie', () => {
    const text = record({
      method: 'POST',
      path: `/oauth/cb?code=auth-code-abc123&state=s1`,
      requestHeaders: {
        cookie: '_session=sessval1; _interaction=interval2',
        authorization: `Bearer ${JWT}`,
      },
      responseHeaders: {
        location: 'https://app.example/cb?code=auth-code-abc123&state=s1',
        'set-cookie': [
          '_session=sessval1; Path=/; HttpOnly',
          '_interaction=interval2; path=/oauth/interaction/intuid0123456789abc; httponly',
        ],
      },
      requestBody:
        'grant_type=authorization_code&code=auth-code-abc123&code_verifier=verifier-xyz789&client_secret=cs-secret-42',
      responseBody: {
        access_token: JWT,
        id_token: JWT,
        refresh_token: 'opaque-refresh-9f8e7d',
        token_type: 'Bearer',
      },
      reason: `token ${JWT} refused`,
    })
    for (const secret of SECRETS) expect(text).not.toContain(secret)
    expect(text).toContain(`[redacted sha256:${tokenFingerprint('opaque-refresh-9f8e7d')}]`)
    expect(text).toContain(`code=[redacted sha256:${tokenFingerprint('auth-code-abc123')}]`)
    expect(text).toContain('_interaction=[redacted sha256:')
    expect(text).toContain('state=s1')
    expect(text).toContain('Path=/; HttpOnly')
    expect(text).not.toContain('intuid0123456789abc')
    expect(text).toContain('path=/oauth/interaction/[redacted sha256:')
  })

  it('fingerprints secrets in JSON bodies by key, at any depth, but keeps numeric JSON-RPC error codes', () => {
    const text = record({
      requestBody: {
        client_name: 'x',
        client_secret: 'cs-secret-42',
        nested: { deeper: [{ code_verifier: 'verifier-xyz789' }] },
      },
      responseBody: { jsonrpc: '2.0', id: 1, error: { code: -32600, message: 'bad' } },
    })
    expect(text).not.toContain('cs-secret-42')
    expect(text).not.toContain('verifier-xyz789')
    expect(text).toContain('"client_name":"x"')
    expect(text).toContain('"code":-32600')
  })
})

describe('free-text fields of an event', () => {
  it('are cut (a hostile 1 MiB JSON-RPC id or tool name) and counted against the budget', () => {
    const log = createRequestLog()
    const huge = 'i'.repeat(1024 * 1024)
    const event = log.append({ ...base, rpcId: huge, tool: huge, reason: `unknown tool ${huge}` })
    expect(String(event.rpcId).length).toBeLessThan(1100)
    expect(String(event.tool).length).toBeLessThan(4200)
    expect(event.reason).toContain('[truncated: ')
    expect(log.bytes()).toBeLessThan(16 * 1024)
  })
})

describe('finding a recorded event by id (what Replay reads)', () => {
  it('finds events still held and none that were dropped or cleared', () => {
    const log = createRequestLog({ capacity: 3 })
    const ids = ['a', 'b', 'c', 'd', 'e'].map((path) => log.append({ ...base, path }).id)
    expect(log.find(ids[4])?.path).toBe('e')
    expect(log.find(ids[2])?.path).toBe('c')
    expect(log.find(ids[1])).toBeUndefined()
    expect(log.find(ids[4] + 1)).toBeUndefined()
    expect(log.find(1.5)).toBeUndefined()
    log.clear()
    expect(log.find(ids[4])).toBeUndefined()
    const after = log.append({ ...base, path: 'f' })
    expect(log.find(after.id)?.path).toBe('f')
  })
})
