import { describe, expect, it } from 'vitest'
import { createConnectRecorder } from '../../src/main/connect/connectRecorder'
import { classifyOAuthRequest, createRecordingFetch } from '../../src/main/connect/recordingFetch'

describe('Connect step recording', () => {
  it('files each OAuth request under its step', () => {
    const post = (body: string) => ({ method: 'POST', body })
    expect(
      classifyOAuthRequest(new URL('https://rs.test/.well-known/oauth-protected-resource/mcp')),
    ).toBe('resourceMetadata')
    expect(
      classifyOAuthRequest(
        new URL('https://as.test/.well-known/oauth-authorization-server/tenant'),
      ),
    ).toBe('authServerMetadata')
    expect(
      classifyOAuthRequest(new URL('https://as.test/oauth/.well-known/openid-configuration')),
    ).toBe('authServerMetadata')
    expect(
      classifyOAuthRequest(
        new URL('https://as.test/reg'),
        post('{"redirect_uris":["http://127.0.0.1/cb"]}'),
      ),
    ).toBe('registration')
    expect(
      classifyOAuthRequest(
        new URL('https://as.test/token'),
        post('grant_type=authorization_code&code=x'),
      ),
    ).toBe('token')
    expect(
      classifyOAuthRequest(
        new URL('https://as.test/token'),
        post('grant_type=refresh_token&refresh_token=x'),
      ),
    ).toBe('refresh')
    expect(
      classifyOAuthRequest(new URL('https://rs.test/mcp'), post('{"jsonrpc":"2.0"}')),
    ).toBeNull()
  })

  it('keeps token responses with every secret replaced by a fingerprint', async () => {
    const recorder = createConnectRecorder()
    const secrets = {
      access_token: 'at-secret-value',
      refresh_token: 'rt-secret-value',
      id_token: 'id-secret',
      token_type: 'Bearer',
    }
    const fetchFn = createRecordingFetch(
      async () =>
        new Response(JSON.stringify(secrets), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
      recorder,
    )
    await fetchFn('https://as.test/token', {
      method: 'POST',
      body: 'grant_type=authorization_code&code=the-code',
    })
    const step = recorder.state().steps.find((s) => s.id === 'token')
    expect(step?.status).toBe('ok')
    const text = JSON.stringify(recorder.state())
    for (const secret of ['at-secret-value', 'rt-secret-value', 'id-secret', 'the-code'])
      expect(text).not.toContain(secret)
    expect((step?.data as { response: Record<string, string> }).response).toMatchObject({
      token_type: 'Bearer',
      access_token: expect.stringMatching(/^\[redacted sha256:[0-9a-f]{12}\]$/),
    })
  })

  it('counts a 404 on one well-known URL as an attempt, not a failure', async () => {
    const recorder = createConnectRecorder()
    const fetchFn = createRecordingFetch(
      async () => new Response('nope', { status: 404 }),
      recorder,
    )
    await fetchFn('https://rs.test/.well-known/oauth-protected-resource/mcp')
    expect(recorder.state().steps[0]).toMatchObject({
      id: 'resourceMetadata',
      status: 'running',
      data: { attempts: [{ status: 404 }] },
    })
  })
})
