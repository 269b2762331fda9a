import { spawn } from 'node:child_process'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { createServer as createTlsServer } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createNgrokForwarder,
  type NgrokForwarderOptions,
} from '../../src/main/tunnel/ngrokForwarder'
import { createTunnelController } from '../../src/main/tunnel/tunnelController'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { createMemorySecretStore } from './memorySecretStore'
import { selfSignedCert } from './selfSignedCert'

// The real @ngrok/ngrok against local peers standing in for its ingress: ngrok's service is unreachable here,
// and a local server_addr makes every failure deterministic and fast.
const TOKEN = '2xYzAbCdEfGhIjKlMnOpQrStUv_1a2B3c4D5e6F7g8H9i0JkLmN'
const sockets = new Set<Socket>()
const track = (s: Socket) => {
  sockets.add(s)
  s.on('error', () => {})
  s.on('close', () => sockets.delete(s))
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('no address')
  return `127.0.0.1:${address.port}`
}

let fixture: Fixture
beforeAll(async () => {
  fixture = await startWorkbench({})
})
afterAll(async () => {
  for (const s of sockets) s.destroy()
  await fixture.close()
})

function controller(
  forwarder: NgrokForwarderOptions,
  env: NodeJS.ProcessEnv = { NGROK_AUTHTOKEN: TOKEN },
  connectTimeoutMs = 10_000,
) {
  const published: (string | null)[] = []
  const tunnel = createTunnelController({
    port: () => fixture.workbench.port(),
    onPublicUrl: async (url) => {
      published.push(url)
      await fixture.workbench.setPublicUrl(url)
    },
    secretStore: createMemorySecretStore(),
    env,
    forwarder: createNgrokForwarder(forwarder),
    connectTimeoutMs,
  })
  return { tunnel, published }
}

async function localServerStillServes(): Promise<number> {
  const res = await fetch(
    `${fixture.workbench.localBaseUrl()}/.well-known/oauth-protected-resource`,
  )
  await res.arrayBuffer()
  return res.status
}

describe('the real @ngrok/ngrok failure paths', () => {
  it('without an authtoken fails with ERR_TUNNEL_AUTHTOKEN before dialing ngrok', async () => {
    const { tunnel, published } = controller({ serverAddr: '127.0.0.1:1' }, {})
    expect(await tunnel.start()).toMatchObject({
      state: 'failed',
      errorCode: 'ERR_TUNNEL_AUTHTOKEN',
      authtokenSet: false,
    })
    expect(published).toEqual([])
    expect(await localServerStillServes()).toBe(200)
  })

  it('with a malformed authtoken fails with ERR_TUNNEL_AUTHTOKEN and no tunnel', async () => {
    const { tunnel } = controller(
      { serverAddr: '127.0.0.1:1' },
      { NGROK_AUTHTOKEN: 'paste error: my token' },
    )
    expect(await tunnel.start()).toMatchObject({
      state: 'failed',
      errorCode: 'ERR_TUNNEL_AUTHTOKEN',
      authtokenSource: 'env',
    })
  })

  it('offline (nothing listens at the ingress) fails fast with ERR_TUNNEL_NETWORK and the local server keeps serving', async () => {
    const closed = createServer()
    const addr = await listen(closed)
    await new Promise((r) => closed.close(r))
    const { tunnel } = controller({ serverAddr: addr })
    const status = await tunnel.start()
    expect(status).toMatchObject({ state: 'failed', url: null, errorCode: 'ERR_TUNNEL_NETWORK' })
    expect(status.error).not.toContain(TOKEN)
    expect(await localServerStillServes()).toBe(200)
  })

  it('reports TLS interception when a TLS server with a foreign certificate answers for ngrok', async () => {
    const { key, cert } = await selfSignedCert()
    const proxy = createTlsServer({ key, cert }, track)
    proxy.on('tlsClientError', () => {})
    const { tunnel } = controller({ serverAddr: await listen(proxy) })
    const status = await tunnel.start()
    proxy.close()
    expect(status).toMatchObject({ state: 'failed', errorCode: 'ERR_TUNNEL_TLS' })
    expect(status.error).toMatch(/intercepts TLS/)
  })

  it('reports a cut connection when a middlebox closes it during the TLS handshake', async () => {
    const cutter = createServer((s) => s.destroy())
    const { tunnel } = controller({ serverAddr: await listen(cutter) })
    const status = await tunnel.start()
    cutter.close()
    expect(status).toMatchObject({ state: 'failed', errorCode: 'ERR_TUNNEL_TLS' })
    expect(status.error).toMatch(/cut/)
  })

  it('times out when the peer accepts TCP and never answers, and the local server keeps serving', async () => {
    const silent = createServer(track)
    const { tunnel, published } = controller(
      { serverAddr: await listen(silent) },
      { NGROK_AUTHTOKEN: TOKEN },
      400,
    )
    const status = await tunnel.start()
    silent.close()
    expect(status).toMatchObject({ state: 'failed', errorCode: 'ERR_TUNNEL_TIMEOUT' })
    expect(published).toEqual([])
    expect(await localServerStillServes()).toBe(200)
  })
})

describe('a process whose tunnel hangs', () => {
  async function runChild(
    mode: 'timeout' | 'close',
  ): Promise<{ code: number | null; out: string }> {
    const silent = createServer(track)
    const addr = await listen(silent)
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx')
    const child = spawn(tsx, [join(__dirname, 'fixtures', 'hangingTunnel.ts'), addr, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    // The exit must come from the child itself; the vitest timeout is the only bound on waiting for it.
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
    silent.close()
    return { code, out }
  }

  it('exits by itself after the connect timeout fires', async () => {
    const { code, out } = await runChild('timeout')
    expect(code).toBe(0)
    expect(JSON.parse(out.trim().split('\n').pop() ?? '{}')).toMatchObject({
      state: 'failed',
      errorCode: 'ERR_TUNNEL_TIMEOUT',
    })
  })

  it('exits by itself when the tunnel is closed while still connecting', async () => {
    const { code, out } = await runChild('close')
    expect(code).toBe(0)
    expect(JSON.parse(out.trim().split('\n').pop() ?? '{}')).toMatchObject({ state: 'stopped' })
  })
})
