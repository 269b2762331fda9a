import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../src/main/appServices'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

let fx: Fixture
let app: AppServices
beforeAll(async () => {
  fx = await startWorkbench({})
  app = createAppServices({
    workbench: fx.workbench,
    dataDir: join(fx.dir, 'data'),
    mode: 'browser',
    openUrl: () => {},
  })
})
afterAll(async () => {
  await app?.close()
  await fx?.close()
})

describe('the ChatGPT stand-in client document on the MCP port (issue 8 item 13)', () => {
  it("names the Workbench's URL, whatever X-Forwarded-Host and -Proto a caller sends", async () => {
    const base = new URL(fx.workbench.mcpUrl()).origin
    const response = await fetch(`${base}/chatgpt/oauth/client.json`, {
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    })
    expect(response.status).toBe(200)
    const document = (await response.json()) as Record<string, string>
    expect(document.client_id).toBe(`${fx.workbench.baseUrl()}/chatgpt/oauth/client.json`)
    expect(document.jwks_uri).toBe(`${fx.workbench.baseUrl()}/chatgpt/oauth/jwks.json`)
    expect(JSON.stringify(document)).not.toContain('evil.example')
  })
})
