import { CompactEncrypt, base64url, importJWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'
import { startHarness, type Harness, openScreen } from './harness'

// The Tokens and Auth screens in browser mode (development issuer): what a pasted or forged token
// is, said plainly; forms validated by the config's own schemas. Screenshots go to $WORKBENCH_SHOTS
// when set.

let h: Harness
let stranger: LocalIssuer

beforeAll(async () => {
  h = await startHarness({ viewport: { width: 1360, height: 900 } })
  stranger = await startLocalIssuer()
  await h.page.getByRole('heading', { name: 'Overview' }).waitFor()
})
afterAll(async () => {
  await stranger?.close()
  await h?.close()
})

async function paste(text: string): Promise<void> {
  await h.page.getByRole('textbox', { name: 'JWT to inspect' }).fill(text)
}

async function shot(name: string): Promise<void> {
  if (process.env.WORKBENCH_SHOTS)
    await h.page.screenshot({ path: `${process.env.WORKBENCH_SHOTS}/${name}.png`, fullPage: true })
}

const forgeButtons = () => h.page.getByRole('group', { name: 'Forge variants' }).getByRole('button')

describe('the Tokens screen (issue 9 items 11 and 14)', () => {
  it('names a forged token by its human label, and only while that token is on screen', async () => {
    await openScreen(h.page, 'Tokens')
    await forgeButtons().filter({ hasText: 'Wrong audience' }).click()
    const forged = h.page.locator('.forged')
    await expect.poll(() => forged.textContent()).toContain('forged Wrong audience token')
    expect(await forged.textContent()).not.toContain('wrongAudience')
    await expect
      .poll(() => forgeButtons().filter({ hasText: 'Wrong audience' }).getAttribute('aria-pressed'))
      .toBe('true')
    await expect.poll(() => h.page.getByRole('status').textContent()).toContain('another audience')
    await shot('tokens-forged')
    await paste(await stranger.mint({ sub: 'mallory', aud: h.workbench.audience() }))
    await expect.poll(() => forged.count()).toBe(0)
    expect(await h.page.locator('[aria-pressed="true"]').count()).toBe(0)
  })

  it('leads with the issuer for a token from another issuer', async () => {
    await openScreen(h.page, 'Tokens')
    await paste(await stranger.mint({ sub: 'mallory', aud: h.workbench.audience() }))
    const expected = `${h.workbench.baseUrl()}/oauth`
    const banner = h.page.getByRole('status').filter({ hasText: 'refuse' })
    await expect
      .poll(() => banner.locator('strong').textContent())
      .toBe(
        `The server would refuse it: Issued by "${stranger.issuer}", expected "${expected}" exactly`,
      )
    await shot('tokens-other-issuer')
  })

  it('explains an encrypted token and an opaque one, with the fix', async () => {
    await openScreen(h.page, 'Tokens')
    const key = await importJWK(
      { kty: 'oct', k: base64url.encode(new Uint8Array(32)), alg: 'dir' },
      'dir',
    )
    const jwe = await new CompactEncrypt(new TextEncoder().encode('{"sub":"x"}'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(key)
    await paste(jwe)
    const alert = h.page.getByRole('alert').filter({ hasText: 'encrypted' })
    await expect
      .poll(() => alert.textContent())
      .toContain(
        `How to fix: Ask for a token for this API: request it with audience=${h.workbench.audience()}`,
      )
    await shot('tokens-encrypted')
    await paste('2YotnFZFEjr1zCsicMWpAA')
    await expect
      .poll(() => h.page.getByRole('alert').textContent())
      .toContain('An opaque token, not a JWT')
  })

  it('offers the forged token in Preview by its label', async () => {
    await openScreen(h.page, 'Tokens')
    await forgeButtons().filter({ hasText: 'Unsigned' }).click()
    await expect
      .poll(() => h.page.locator('.forged').textContent())
      .toContain('forged Unsigned (alg "none") token')
    await h.page.getByRole('button', { name: 'Use in Preview' }).click()
    await h.page.getByRole('heading', { level: 1, name: 'Preview' }).waitFor()
    const picker = h.page.getByRole('combobox', { name: 'Call as' })
    expect(await picker.locator('option[value="forged"]').textContent()).toBe(
      'Forged token: Unsigned (alg "none")',
    )
  })
})

describe('the Auth screen validates with the config schemas (issue 10)', () => {
  it('refuses a preset with placeholders left and a URL the config would refuse, saying why', async () => {
    await openScreen(h.page, 'Auth')
    await h.page.getByRole('radio', { name: /External/ }).click()
    await h.page
      .getByRole('group', { name: 'Issuer presets' })
      .getByRole('button', { name: 'AWS Cognito' })
      .click()
    const save = h.page.getByRole('button', { name: 'Save', exact: true })
    await expect
      .poll(() => save.getAttribute('title'))
      .toBe('Replace REGION, USER_POOL_ID in the issuer URL')
    expect(await save.isDisabled()).toBe(true)
    expect(await h.page.getByText(/ID tokens \(token_use "id"\) are refused/).count()).toBe(1)
    await shot('auth-cognito-preset')
    const url = h.page.getByRole('textbox', { name: 'Issuer URL' })
    await url.fill('ftp://issuer.example')
    await expect.poll(() => save.getAttribute('title')).toBe('Issuer URL must be an http(s) URL')
    await url.fill('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC')
    await expect.poll(() => save.isDisabled()).toBe(false)
  })
})
