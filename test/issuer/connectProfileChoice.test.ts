import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createIssuerCommands } from '../../src/main/commands/issuerCommands'
import { createConnectClient, type ConnectClient } from '../../src/main/connect'
import {
  CHATGPT_DOCUMENT_PREFIX,
  createChatGptClientDocument,
} from '../../src/main/connect/chatgptClientDocument'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

// The "ChatGPT profile" choice is the config's: a Connect started without naming a profile (a widget's own
// sign-in, Requests) runs the saved one, and an explicit choice still wins.

let fx: Fixture
let connect: ConnectClient
let commands: ReturnType<typeof createIssuerCommands>
let opened: (url: URL) => void = () => undefined

beforeAll(async () => {
  fx = await startWorkbench({})
  const document = createChatGptClientDocument()
  fx.workbench.addMount({ prefix: CHATGPT_DOCUMENT_PREFIX, handle: document.handle })
  connect = createConnectClient({
    browserTimeoutMs: 20_000,
    chatgpt: { document, documentBaseUrl: () => fx.workbench.baseUrl() },
    // The sign-in page is never visited: the authorization request already shows which client asked.
    openUrl: (url) => opened(new URL(url)),
  })
  commands = createIssuerCommands({ workbench: fx.workbench, connect })
})
afterAll(async () => {
  await connect?.close()
  await fx?.close()
})

async function redirectOfNextConnect(start: Parameters<(typeof commands)['connect:start']>[0]) {
  const url = new Promise<URL>((resolve) => (opened = resolve))
  await commands['connect:start'](start)
  const redirect = new URL((await url).searchParams.get('redirect_uri')!)
  await commands['connect:reset']()
  return redirect.pathname
}

// ChatGPT's redirect rule; the Workbench's own client redirects to its loopback /callback.
const CHATGPT_REDIRECT = /^\/connector(_platform_oauth_redirect|\/oauth\/[0-9a-f]{12})$/

describe('the Connect profile choice', () => {
  it('is off by default, saved in the config, and used when a start does not name one', async () => {
    expect(fx.workbench.config.get().connect.asChatGpt).toBe(false)
    expect(await redirectOfNextConnect({ scope: 'user' })).not.toMatch(CHATGPT_REDIRECT)

    await fx.workbench.config.update((raw) => ({ ...raw, connect: { asChatGpt: true } }))
    expect(fx.workbench.config.raw()).toMatchObject({ connect: { asChatGpt: true } })
    expect(await redirectOfNextConnect({ scope: 'user' })).toMatch(CHATGPT_REDIRECT)

    expect(await redirectOfNextConnect({ scope: 'user', asChatGpt: false })).not.toMatch(
      CHATGPT_REDIRECT,
    )
  })
})
