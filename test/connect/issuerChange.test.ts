import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConnectClient, type ConnectClient } from '../../src/main/connect'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { signInOverHttp } from '../issuer/signInOverHttp'

let mcp: Fixture
let external: Fixture | null = null
let connect: ConnectClient
const opened: URL[] = []

beforeAll(async () => {
  mcp = await startWorkbench({})
  // Another Workbench's development issuer plays the developer's own issuer, issuing tokens for `mcp`.
  external = await startWorkbench({ auth: { resourceServerUrl: mcp.workbench.mcpUrl() } })
  connect = createConnectClient({
    browserTimeoutMs: 20_000,
    openUrl: (url) => {
      opened.push(new URL(url))
      void signInOverHttp(url).catch(() => {})
    },
  })
})
afterAll(async () => {
  await connect?.close()
  await external?.close()
  await mcp?.close()
})

describe('Connect after the issuer changes (issue 9 item 5)', () => {
  it("drops the old issuer's discovery and tokens and signs in with the new one, without a restart", async () => {
    const externalIssuer = external?.workbench.devIssuer()?.issuer() as string
    await mcp.workbench.config.update((raw) => ({
      ...raw,
      auth: { ...raw.auth, issuer: externalIssuer },
    }))
    const first = await connect.start(mcp.workbench.mcpUrl(), { scope: 'user' })
    expect(first).toMatchObject({ state: 'connected', error: null })
    expect(opened.at(-1)?.origin + (opened.at(-1)?.pathname ?? '')).toBe(`${externalIssuer}/auth`)

    // The developer switches to the development issuer, and the old one goes away.
    await mcp.workbench.config.update((raw) => ({ ...raw, auth: { ...raw.auth, issuer: 'dev' } }))
    await external?.close()
    external = null
    const second = await connect.start(mcp.workbench.mcpUrl(), { scope: 'user' })
    expect(second.error).toBeNull()
    expect(second.state).toBe('connected')
    expect(opened.at(-1)?.origin + (opened.at(-1)?.pathname ?? '')).toBe(
      `${mcp.workbench.devIssuer()?.issuer()}/auth`,
    )
    expect(second.identity?.clientId).not.toBe(first.identity?.clientId)
  }, 60_000)
})
