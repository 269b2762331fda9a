import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTunnelForServe } from '../../src/main/tunnel/runTunnelForServe'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { createFakeForwarder } from './fakeForwarder'
import { createMemorySecretStore } from './memorySecretStore'

const TOKEN = '2xYzAbCdEfGhIjKlMnOpQrStUv_1a2B3c4D5e6F7g8H9i0JkLmN'
let fx: Fixture
beforeAll(async () => {
  fx = await startWorkbench({})
})
afterAll(async () => {
  await fx.close()
})

describe('serve --tunnel', () => {
  it('prints the public MCP endpoint when the tunnel is online', async () => {
    const lines: string[] = []
    const forwarder = createFakeForwarder({ url: 'https://my-app.ngrok.app' })
    const tunnel = await runTunnelForServe({
      workbench: fx.workbench,
      domain: 'my-app.ngrok.app',
      dataDir: fx.dir,
      print: (l) => lines.push(l),
      env: { NGROK_AUTHTOKEN: TOKEN },
      forwarder,
      secretStore: createMemorySecretStore(),
    })
    expect(lines).toEqual(['Public MCP endpoint: https://my-app.ngrok.app/mcp'])
    expect(forwarder.last().domain).toBe('my-app.ngrok.app')
    await tunnel.close()
  })

  it('prints one Tunnel error line and keeps the local server serving', async () => {
    const lines: string[] = []
    const tunnel = await runTunnelForServe({
      workbench: fx.workbench,
      dataDir: fx.dir,
      print: (l) => lines.push(l),
      env: {},
      forwarder: createFakeForwarder(),
      secretStore: createMemorySecretStore(),
    })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^Tunnel error: ngrok needs an authtoken\./)
    expect(
      (await fetch(fx.workbench.mcpUrl().replace('/mcp', '/.well-known/oauth-protected-resource')))
        .status,
    ).toBe(200)
    await tunnel.close()
  })

  it('prints one Tunnel error line for a malformed --domain', async () => {
    const lines: string[] = []
    const tunnel = await runTunnelForServe({
      workbench: fx.workbench,
      domain: 'bad domain',
      dataDir: fx.dir,
      print: (l) => lines.push(l),
      env: { NGROK_AUTHTOKEN: TOKEN },
      forwarder: createFakeForwarder(),
      secretStore: createMemorySecretStore(),
    })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^Tunnel error: /)
    await tunnel.close()
  })
})
