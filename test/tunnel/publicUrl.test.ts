import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTunnelCommands } from '../../src/main/commands/tunnelCommands'
import { createWorkbenchTunnel } from '../../src/main/tunnel/createWorkbenchTunnel'
import type { TunnelController } from '../../src/main/tunnel/tunnelController'
import { rawRequest, startBridge, type BridgeFixture } from '../bridge/bridgeFixture'
import { INITIALIZE } from '../support/workbenchFixture'
import { createFakeForwarder, type FakeForwarder } from './fakeForwarder'
import { createMemorySecretStore } from './memorySecretStore'

const PUBLIC = 'https://abc123.ngrok-free.app'
const PUBLIC_HOST = 'abc123.ngrok-free.app'
const TOKEN = '2xYzAbCdEfGhIjKlMnOpQrStUv_1a2B3c4D5e6F7g8H9i0JkLmN'

let bridge: BridgeFixture
let tunnel: TunnelController
let forwarder: FakeForwarder

const mcpPort = () => bridge.fx.workbench.port()
const initialize = (host: string) =>
  rawRequest(mcpPort(), '/mcp', {
    method: 'POST',
    headers: {
      host,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify(INITIALIZE),
  })
const metadata = async (host: string) =>
  JSON.parse(
    (await rawRequest(mcpPort(), '/.well-known/oauth-protected-resource', { headers: { host } }))
      .body,
  ) as { resource: string }

beforeAll(async () => {
  bridge = await startBridge()
  forwarder = createFakeForwarder({ url: PUBLIC })
  tunnel = createWorkbenchTunnel({
    workbench: bridge.fx.workbench,
    dataDir: bridge.fx.dir,
    secretStore: createMemorySecretStore(),
    env: { NGROK_AUTHTOKEN: TOKEN },
    forwarder,
  })
})
afterAll(async () => {
  await tunnel.close()
  await bridge.close()
})

describe('the tunnel URL in the core', () => {
  it('forwards the MCP server port, never the UI server port', async () => {
    await tunnel.start()
    expect(forwarder.last().addr).toBe(`127.0.0.1:${mcpPort()}`)
    expect(bridge.ui.port).not.toBe(mcpPort())
  })

  it('puts the public URL into the protected-resource metadata and the connector URL at once', async () => {
    await tunnel.start()
    expect((await metadata(PUBLIC_HOST)).resource).toBe(`${PUBLIC}/mcp`)
    expect(bridge.fx.workbench.status()).toMatchObject({
      publicUrl: PUBLIC,
      connectorUrl: `${PUBLIC}/mcp`,
    })
  })

  it('accepts the public Host on /mcp while online and refuses it once stopped', async () => {
    await tunnel.start()
    expect((await initialize(PUBLIC_HOST)).status).toBe(200)
    await tunnel.stop()
    expect(bridge.fx.workbench.status().publicUrl).toBeNull()
    expect((await initialize(PUBLIC_HOST)).status).toBe(403)
    expect((await metadata('127.0.0.1')).resource).toBe(`${bridge.fx.workbench.localBaseUrl()}/mcp`)
  })

  it('a request carrying the public Host cannot reach the UI bridge or the forge', async () => {
    await tunnel.start()
    const auth = { authorization: `Bearer ${bridge.ui.secret}`, 'content-type': 'application/json' }
    const viaUi = await rawRequest(bridge.ui.port, '/api/forge', {
      method: 'POST',
      headers: { host: PUBLIC_HOST, ...auth },
      body: '{}',
    })
    expect(viaUi.status).toBe(403)
    const bridgeUpgrade = await rawRequest(bridge.ui.port, '/bridge', {
      headers: {
        host: PUBLIC_HOST,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    })
    expect(bridgeUpgrade.status).toBe(403)
    for (const path of ['/api/forge', '/api/invoke/forge:mint', '/bridge']) {
      const viaMcp = await rawRequest(mcpPort(), path, {
        method: 'POST',
        headers: { host: PUBLIC_HOST, ...auth },
        body: '{}',
      })
      expect(viaMcp.status).toBe(404)
    }
  })
})

describe('tunnel:setCustomUrl', () => {
  it('makes a custom https URL the public URL, saved in the config, and stops the tunnel', async () => {
    await tunnel.start()
    const commands = createTunnelCommands({ workbench: bridge.fx.workbench, tunnel })
    const status = await commands['tunnel:setCustomUrl']('https://mcp.example.com/')
    expect(status).toMatchObject({
      publicUrl: 'https://mcp.example.com',
      connectorUrl: 'https://mcp.example.com/mcp',
    })
    expect(tunnel.status().state).toBe('stopped')
    expect(bridge.fx.workbench.config.raw().server?.publicUrl).toBe('https://mcp.example.com')
    expect((await metadata('mcp.example.com')).resource).toBe('https://mcp.example.com/mcp')
    expect((await initialize('mcp.example.com')).status).toBe(200)
    expect((await commands['tunnel:setCustomUrl'](null)).publicUrl).toBeNull()
    expect(bridge.fx.workbench.config.raw().server?.publicUrl).toBeNull()
  })

  it.each([
    'http://mcp.example.com',
    'https://mcp.example.com/path',
    'not a url',
    'https://user:pw@mcp.example.com',
  ])('refuses %s with ERR_CONFIG_INVALID', async (url) => {
    const commands = createTunnelCommands({ workbench: bridge.fx.workbench, tunnel })
    await expect(commands['tunnel:setCustomUrl'](url)).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
    })
  })
})
