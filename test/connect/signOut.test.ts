import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../src/main/appServices'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
import { signInOverHttp } from '../issuer/signInOverHttp'

let fx: Fixture
let app: AppServices
/** One browser: the cookie jar the issuer's session lives in. */
const jar = new Map<string, string>()
const pages: string[][] = []

beforeAll(async () => {
  fx = await startWorkbench({})
  app = createAppServices({
    workbench: fx.workbench,
    dataDir: join(fx.dir, 'data'),
    mode: 'browser',
    openUrl: (url) => {
      const seen: string[] = []
      pages.push(seen)
      void signInOverHttp(url, { jar, onPage: (html) => seen.push(html) }).catch(() => {})
    },
  })
})
afterAll(async () => {
  await app?.close()
  await fx?.close()
})

const sawSignIn = (run: string[] | undefined) =>
  (run ?? []).some((html) => html.includes('id="sign-in"'))

describe('signing out of Connect (issue 9 item 6)', () => {
  it('ends the development issuer session too, and "use another account" asks who you are', async () => {
    const url = fx.workbench.mcpUrl()
    expect(await app.connect.start(url, { scope: 'user' })).toMatchObject({ state: 'connected' })
    expect(sawSignIn(pages[0])).toBe(true)

    // Same browser, same issuer session: no sign-in page the second time.
    await app.connect.reset()
    pages.length = 0
    const before = new Map(jar)
    await app.connect.start(url, { scope: 'user' })
    expect(before.size).toBeGreaterThan(0)
    // reset() ended the issuer session, so the person was asked to sign in again.
    expect(sawSignIn(pages[0])).toBe(true)

    pages.length = 0
    const another = await app.connect.start(url, { scope: 'user', prompt: 'login' })
    expect(another.state).toBe('connected')
    expect(sawSignIn(pages[0])).toBe(true)
  }, 60_000)
})
