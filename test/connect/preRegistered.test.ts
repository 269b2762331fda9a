import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConnectClient, type ConnectClient } from '../../src/main/connect'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { signInOverHttp } from '../issuer/signInOverHttp'

let fx: Fixture
let connect: ConnectClient
const registrations: string[] = []

beforeAll(async () => {
  fx = await startWorkbench({})
  connect = createConnectClient({
    browserTimeoutMs: 20_000,
    openUrl: (url) => void signInOverHttp(url).catch(() => {}),
    fetch: (input, init) => {
      if (String(input).endsWith('/oauth/reg')) registrations.push(String(input))
      return fetch(input, init)
    },
  })
})
afterAll(async () => {
  await connect?.close()
  await fx?.close()
})

describe('Connect with a client registered by hand (issue 11 item 4)', () => {
  it('uses the given client id and secret instead of registering, per start', async () => {
    const issuer = fx.workbench.devIssuer()?.issuer() as string
    // "By hand": what an admin does in Entra or Cognito, here through the issuer's registration endpoint.
    const response = await fetch(`${issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'registered by hand',
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: ['http://127.0.0.1/callback'],
      }),
    })
    const client = (await response.json()) as { client_id: string; client_secret: string }
    const state = await connect.start(fx.workbench.mcpUrl(), {
      scope: 'user',
      preRegistered: { clientId: client.client_id, clientSecret: client.client_secret },
    })
    expect(state).toMatchObject({ state: 'connected', identity: { clientId: client.client_id } })
    expect(state.steps.find((s) => s.id === 'registration')).toMatchObject({
      status: 'ok',
      data: { method: 'pre-registered' },
    })
    expect(registrations).toEqual([])
    expect(JSON.stringify(state)).not.toContain(client.client_secret)
  })
})
