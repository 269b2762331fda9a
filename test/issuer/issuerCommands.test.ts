import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createIssuerCommands } from '../../src/main/commands/issuerCommands'
import { createConnectClient } from '../../src/main/connect'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { signInOverHttp } from './signInOverHttp'
import { ForgeRequestSchema } from '../../src/shared/issuerTypes'

let fx: Fixture
let commands: ReturnType<typeof createIssuerCommands>
const connect = createConnectClient({
  openUrl: (url) => void signInOverHttp(url).catch(() => {}),
  browserTimeoutMs: 20_000,
})

beforeAll(async () => {
  fx = await startWorkbench({})
  commands = createIssuerCommands({ workbench: fx.workbench, connect })
})
afterAll(async () => {
  await connect.close()
  await fx?.close()
})

describe('issuer commands', () => {
  it('forge:mint signs valid tokens with the development issuer', async () => {
    const forged = await commands['forge:mint'](
      ForgeRequestSchema.parse({ variant: 'valid', scopes: ['user'] }),
    )
    expect(forged.signedByIssuer).toBe(true)
    expect(await fx.workbench.verifier()!.verifyAccessToken(forged.token)).toMatchObject({
      ok: true,
    })
  })

  it('issuer:check recognises the development issuer', async () => {
    const report = await commands['issuer:check'](fx.workbench.devIssuer()?.issuer() as string)
    expect(report.provider).toBe('dev')
  })

  it('connect:start runs in the background and publishes its progress until connected', async () => {
    const done = new Promise<string>((resolve) =>
      connect.onChange(
        (s) => (s.state === 'connected' || s.state === 'failed') && resolve(s.state),
      ),
    )
    await commands['connect:start']({ scope: 'user' })
    expect(await done).toBe('connected')
    expect((await commands['connect:reset']()).state).toBe('idle')
  })
})
