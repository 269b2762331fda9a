import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

let fx: Fixture
beforeAll(async () => {
  fx = await startWorkbench({})
})
afterAll(() => fx?.close())

describe('issuer pages cannot be framed', () => {
  it("sends frame-ancestors 'none' on /oauth/session/end", async () => {
    const response = await fetch(`${fx.workbench.devIssuer()?.issuer()}/session/end`)
    await response.text()
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-frame-options')).toBe('DENY')
  })
})
