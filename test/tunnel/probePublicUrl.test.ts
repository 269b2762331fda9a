import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTunnelCommands } from '../../src/main/commands/tunnelCommands'
import { createWorkbenchTunnel } from '../../src/main/tunnel/createWorkbenchTunnel'
import { probePublicUrl } from '../../src/main/tunnel/probePublicUrl'
import type { TunnelController } from '../../src/main/tunnel/tunnelController'
import { PublicUrlSchema } from '../../src/shared/publicUrl'
import { rawRequest, startBridge, type BridgeFixture } from '../bridge/bridgeFixture'
import { createFakeForwarder } from './fakeForwarder'
import { createMemorySecretStore } from './memorySecretStore'

const PUBLIC = 'https://abc123.ngrok-free.app'

let bridge: BridgeFixture
let tunnel: TunnelController

/** What the tunnel does: the public URL's requests arrive at the local port with the public Host. */
const throughTunnel: typeof fetch = async (input) => {
  const url = new URL(String(input))
  const res = await rawRequest(bridge.fx.workbench.port(), url.pathname, {
    headers: { host: url.host, accept: 'application/json' },
  })
  return new Response(res.body, { status: res.status })
}

beforeAll(async () => {
  bridge = await startBridge()
  tunnel = createWorkbenchTunnel({
    workbench: bridge.fx.workbench,
    dataDir: bridge.fx.dir,
    secretStore: createMemorySecretStore(),
    env: { NGROK_AUTHTOKEN: '2xYzAbCdEfGhIjKlMnOpQrStUv_1a2B3c4D5e6F7g8H9i0JkLmN' },
    forwarder: createFakeForwarder({ url: PUBLIC }),
  })
})
afterAll(async () => {
  await tunnel.close()
  await bridge.close()
})

describe('probing the public URL', () => {
  it('answers when the URL reaches this server and serves its metadata', async () => {
    await tunnel.start()
    const status = bridge.fx.workbench.status()
    expect(await probePublicUrl(PUBLIC, status.resource, throughTunnel)).toMatchObject({
      url: PUBLIC,
      ok: true,
    })
  })

  it('does not answer for another server, nor for a URL that does not resolve', async () => {
    const status = bridge.fx.workbench.status()
    const otherServer: typeof fetch = async () =>
      Response.json({ resource: 'https://other.example/mcp' })
    expect(await probePublicUrl(PUBLIC, status.resource, otherServer)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('not with this server'),
    })
    const probe = await probePublicUrl('https://nowhere.example.test', status.resource)
    expect(probe).toMatchObject({ ok: false, detail: expect.stringContaining('did not answer') })
  })

  it('the command says so when no public URL is set', async () => {
    await tunnel.stop()
    const commands = createTunnelCommands({ workbench: bridge.fx.workbench, tunnel })
    expect(await commands['tunnel:probePublicUrl']()).toEqual({
      url: null,
      ok: false,
      detail: 'No public URL is set.',
    })
  })
})

describe('PublicUrlSchema (the Tunnel form and the server)', () => {
  it.each([
    ['http://mcp.example.com', 'must use https'],
    ['https://mcp.example.com/mcp', 'without a path'],
    ['https://user:pw@mcp.example.com', 'user name or password'],
    ['mcp.example.com', 'is not a URL'],
  ])('refuses %s', (input, message) => {
    const parsed = PublicUrlSchema.safeParse(input)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0].message).toContain(message)
  })

  it('accepts an https origin and trims it', () => {
    expect(PublicUrlSchema.parse(' https://mcp.example.com/ ')).toBe('https://mcp.example.com')
  })
})
