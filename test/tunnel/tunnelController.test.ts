import { describe, expect, it } from 'vitest'
import type { TunnelStatus } from '../../src/shared/events'
import { describeTunnelError } from '../../src/main/tunnel/describeTunnelError'
import {
  AUTHTOKEN_SECRET,
  createTunnelController,
  type TunnelControllerOptions,
} from '../../src/main/tunnel/tunnelController'
import { createFakeForwarder, type FakeForwarder } from './fakeForwarder'
import { createMemorySecretStore } from './memorySecretStore'

const TOKEN = '2xYzAbCdEfGhIjKlMnOpQrStUv_1a2B3c4D5e6F7g8H9i0JkLmN'
const OTHER_TOKEN = '2zzzAbCdEfGhIjKlMnOpQrStUv_9a8B7c6D5e4F3g2H1i0JkLmN'

function setup(overrides: Partial<TunnelControllerOptions> & { forwarder?: FakeForwarder } = {}) {
  const forwarder = overrides.forwarder ?? createFakeForwarder()
  const store = createMemorySecretStore()
  const published: (string | null)[] = []
  const statuses: TunnelStatus[] = []
  const lines: string[] = []
  const tunnel = createTunnelController({
    port: () => 8123,
    onPublicUrl: (url) => void published.push(url),
    secretStore: store,
    env: {},
    forwarder,
    logLine: (l) => lines.push(l),
    ...overrides,
  })
  tunnel.onChange((s) => statuses.push(s))
  return { tunnel, forwarder, store, published, statuses, lines }
}

describe('tunnel controller', () => {
  it('fails with ERR_TUNNEL_AUTHTOKEN and never calls ngrok when no authtoken is set', async () => {
    const { tunnel, forwarder } = setup()
    const status = await tunnel.start()
    expect(status).toMatchObject({
      state: 'failed',
      errorCode: 'ERR_TUNNEL_AUTHTOKEN',
      authtokenSet: false,
      authtokenSource: null,
    })
    expect(status.error).toContain('dashboard.ngrok.com')
    expect(forwarder.calls).toHaveLength(0)
  })

  it('goes online with the stored authtoken and publishes the URL to the core', async () => {
    const { tunnel, forwarder, published, statuses } = setup()
    await tunnel.setAuthtoken(`  ngrok config add-authtoken ${TOKEN}\n`)
    const status = await tunnel.start({ domain: null })
    expect(status).toMatchObject({
      state: 'online',
      url: 'https://abc123.ngrok-free.app',
      authtokenSet: true,
      authtokenSource: 'stored',
    })
    expect(forwarder.last()).toMatchObject({ addr: '127.0.0.1:8123', authtoken: TOKEN })
    expect(published).toEqual(['https://abc123.ngrok-free.app'])
    expect(statuses.map((s) => s.state)).toContain('connecting')
  })

  it('prefers NGROK_AUTHTOKEN over the stored token and reports its source as env', async () => {
    const { tunnel, forwarder } = setup({ env: { NGROK_AUTHTOKEN: OTHER_TOKEN } })
    await tunnel.setAuthtoken(TOKEN)
    expect(tunnel.status()).toMatchObject({ authtokenSet: true, authtokenSource: 'env' })
    await tunnel.start()
    expect(forwarder.last().authtoken).toBe(OTHER_TOKEN)
  })

  it('passes a reserved domain, accepting it with a scheme and trailing slash', async () => {
    const { tunnel, forwarder } = setup()
    await tunnel.setAuthtoken(TOKEN)
    await tunnel.start({ domain: 'https://My-App.ngrok.app/' })
    expect(forwarder.last().domain).toBe('my-app.ngrok.app')
    await expect(tunnel.start({ domain: 'not a domain' })).rejects.toMatchObject({
      code: 'ERR_TUNNEL_FAILED',
    })
  })

  it('refuses a malformed authtoken before storing it', async () => {
    const { tunnel, store } = setup()
    await expect(tunnel.setAuthtoken('hello world')).rejects.toMatchObject({
      code: 'ERR_TUNNEL_AUTHTOKEN',
    })
    expect(store.values.size).toBe(0)
  })

  it('fails a malformed NGROK_AUTHTOKEN without calling ngrok', async () => {
    const { tunnel, forwarder } = setup({ env: { NGROK_AUTHTOKEN: 'oops "quoted" token' } })
    expect(await tunnel.start()).toMatchObject({
      state: 'failed',
      errorCode: 'ERR_TUNNEL_AUTHTOKEN',
    })
    expect(forwarder.calls).toHaveLength(0)
  })

  it('asks for consent before storing the authtoken where it would not be encrypted', async () => {
    const store = createMemorySecretStore({
      backend: 'safeStorage:basic_text',
      encrypted: false,
      requiresConsent: true,
      warning: 'No keyring.',
    })
    const { tunnel } = setup({ secretStore: store })
    expect(tunnel.status().warnings).toContain('No keyring.')
    await expect(tunnel.setAuthtoken(TOKEN)).rejects.toMatchObject({ code: 'ERR_TUNNEL_PLAINTEXT' })
    expect(store.values.size).toBe(0)
    expect(await tunnel.setAuthtoken(TOKEN, { allowPlaintext: true })).toMatchObject({
      authtokenSet: true,
      authtokenSource: 'stored',
    })
  })

  it('clears the stored authtoken', async () => {
    const { tunnel, store } = setup()
    await tunnel.setAuthtoken(TOKEN)
    expect(await tunnel.clearAuthtoken()).toMatchObject({
      authtokenSet: false,
      authtokenSource: null,
    })
    expect(store.values.has(AUTHTOKEN_SECRET)).toBe(false)
  })

  it.each([
    [
      'ERR_NGROK_105',
      'ERR_TUNNEL_AUTHTOKEN',
      'The authtoken you specified does not look like a proper ngrok authtoken.',
    ],
    [
      'ERR_NGROK_107',
      'ERR_TUNNEL_AUTHTOKEN',
      'The authtoken you specified is properly formed, but it is invalid.',
    ],
    [
      'ERR_NGROK_4018',
      'ERR_TUNNEL_AUTHTOKEN',
      'Usage of ngrok requires a verified account and authtoken.',
    ],
    [
      'ERR_NGROK_108',
      'ERR_TUNNEL_FAILED',
      'Your account is limited to 1 simultaneous ngrok agent sessions.',
    ],
    ['ERR_NGROK_320', 'ERR_TUNNEL_FAILED', 'This domain is reserved for another account.'],
  ])('maps ngrok %s to %s, a plain reason and the fix', async (ngrokCode, area, ngrokMessage) => {
    const failure = {
      message: `failed to connect session: ${ngrokMessage}\n\n error_code: ${ngrokCode}`,
      errorCode: ngrokCode,
    }
    expect(describeTunnelError(failure, { domain: 'mine.ngrok.app' }).code).toBe(area)
    const forwarder = createFakeForwarder({ error: failure })
    const { tunnel, published } = setup({ forwarder })
    await tunnel.setAuthtoken(TOKEN)
    const status = await tunnel.start({ domain: 'mine.ngrok.app' })
    expect(status).toMatchObject({ state: 'failed', url: null, errorCode: ngrokCode })
    expect(status.error).toMatch(/dashboard\.ngrok\.com/)
    // An authtoken problem sends the user to their authtoken; any other to what is wrong instead.
    expect(status.error?.includes('dashboard.ngrok.com/get-started/your-authtoken')).toBe(
      area === 'ERR_TUNNEL_AUTHTOKEN',
    )
    expect(published).toEqual([])
  })

  it('times out a forward that never answers with ERR_TUNNEL_TIMEOUT', async () => {
    const { tunnel } = setup({ forwarder: createFakeForwarder('hang'), connectTimeoutMs: 50 })
    await tunnel.setAuthtoken(TOKEN)
    expect(await tunnel.start()).toMatchObject({ state: 'failed', errorCode: 'ERR_TUNNEL_TIMEOUT' })
  })

  it('reports reconnecting while ngrok has lost its session, and online again after', async () => {
    const { tunnel, forwarder } = setup()
    await tunnel.setAuthtoken(TOKEN)
    await tunnel.start()
    forwarder.last().onStatusChange('closed')
    expect(tunnel.status()).toMatchObject({
      state: 'reconnecting',
      url: 'https://abc123.ngrok-free.app',
    })
    forwarder.last().onStatusChange('connected')
    expect(tunnel.status().state).toBe('online')
  })

  it('withdraws the public URL when the session ends for good', async () => {
    const { tunnel, forwarder, published } = setup()
    await tunnel.setAuthtoken(TOKEN)
    await tunnel.start()
    forwarder.last().onEnded({ message: 'session closed', errorCode: null })
    await Promise.resolve()
    expect(tunnel.status()).toMatchObject({ state: 'failed', url: null })
    expect(published).toEqual(['https://abc123.ngrok-free.app', null])
  })

  it('stops: closes the tunnel and withdraws the public URL', async () => {
    const { tunnel, forwarder, published } = setup()
    await tunnel.setAuthtoken(TOKEN)
    await tunnel.start()
    expect(await tunnel.stop()).toMatchObject({ state: 'stopped', url: null })
    expect(forwarder.closed).toBe(1)
    expect(published).toEqual(['https://abc123.ngrok-free.app', null])
  })

  it('stopping while connecting abandons the pending connect', async () => {
    const { tunnel, forwarder } = setup({ forwarder: createFakeForwarder('hang') })
    await tunnel.setAuthtoken(TOKEN)
    const starting = tunnel.start()
    await Promise.resolve()
    await new Promise((r) => setImmediate(r))
    expect(tunnel.status().state).toBe('connecting')
    expect(await tunnel.stop()).toMatchObject({ state: 'stopped' })
    await starting
    expect(tunnel.status().state).toBe('stopped')
    expect(forwarder.calls).toHaveLength(1)
  })

  it('warns about the free-domain interstitial only when widgets load assets from the tunnel', async () => {
    let domains: string[] = ['https://cdn.example.com']
    const { tunnel } = setup({ widgetAssetDomains: () => domains })
    await tunnel.setAuthtoken(TOKEN)
    expect((await tunnel.start()).warnings).toEqual([])
    domains = ['https://abc123.ngrok-free.app']
    const status = await tunnel.start()
    expect(status.warnings.join(' ')).toContain('ngrok-skip-browser-warning')
  })

  it('never lets the authtoken into statuses, events or log lines', async () => {
    const forwarder = createFakeForwarder({
      error: { message: `failed to connect session: bad ${TOKEN}`, errorCode: 'ERR_NGROK_999' },
    })
    const { tunnel, statuses, lines } = setup({ forwarder })
    await tunnel.setAuthtoken(TOKEN)
    await tunnel.start()
    forwarder.auto = { url: 'https://abc123.ngrok-free.app' }
    await tunnel.start()
    forwarder.last().onLog?.(`ERROR session - auth ${TOKEN}`)
    const seen = JSON.stringify([statuses, lines, tunnel.status()])
    expect(statuses.length).toBeGreaterThan(2)
    expect(seen).not.toContain(TOKEN)
  })
})
