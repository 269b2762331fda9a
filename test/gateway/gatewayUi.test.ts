import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IDENTITY_JWKS_PATH } from '../../src/main/gateway/identityToken'
import { startHarness, type Harness } from '../e2e/harness'
import { connectClient } from './gatewayHarness'
import { eventually } from './support'
import { startHttpUpstream, type RunningUpstream } from './upstreamServers'

const SHOTS = process.env.GATEWAY_SCREENSHOTS

describe('gateway mode in the UI (Chromium)', () => {
  let upstream: RunningUpstream
  let h: Harness

  beforeAll(async () => {
    upstream = await startHttpUpstream('vanillajs')
    h = await startHarness({
      config: { auth: { issuer: 'off' } },
      viewport: { width: 1360, height: 900 },
    })
    await h.page.getByRole('heading', { name: 'Overview' }).waitFor()
  })
  afterAll(async () => {
    await h?.close()
    await upstream?.stop()
  })

  const open = async (screen: string) => {
    await h.page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('button', { name: new RegExp(`^${screen}\\b`) })
      .click()
    await h.page.getByRole('heading', { level: 1, name: screen }).waitFor()
  }

  it('tests a server URL from "Your server", lists its tools and switches the Workbench to it', async () => {
    await open('Widgets')
    const panel = h.page
      .getByRole('region', { name: 'Your server' })
      .or(h.page.locator('.your-server'))
    await panel.getByRole('radio', { name: 'URL' }).click()
    await panel.getByRole('textbox', { name: 'Upstream URL' }).fill(upstream.url)
    await panel.getByRole('button', { name: 'Test connection' }).click()
    await panel.getByLabel('Upstream tools').getByText('get-time').waitFor()
    await panel.getByRole('button', { name: 'Use this server' }).click()
    await eventually(
      () =>
        h.workbench.status().gateway?.state === 'ready' &&
        h.workbench.widgetSummaries()[0]?.id === 'get-time',
    )
    await h.page.getByRole('heading', { name: 'Get Time' }).waitFor()
    await h.page.getByText('as declared by the upstream').first().waitFor()
    expect(h.workbench.config.get().upstream).toEqual({ url: upstream.url })
    if (SHOTS) await h.page.screenshot({ path: `${SHOTS}/gateway-widgets.png`, fullPage: true })
  })

  it('previews the upstream widget from its own template, and its tools/call goes through the gateway', async () => {
    await open('Preview')
    await h.page.getByRole('combobox', { name: 'Widget' }).selectOption('get-time')
    await h.page.getByRole('button', { name: 'Call widget' }).click()
    const frame = h.page.frameLocator('iframe[title="Widget get-time"]')
    await frame.getByRole('button', { name: 'Get Server Time' }).waitFor()
    await frame.getByRole('button', { name: 'Get Server Time' }).click()
    await expect
      .poll(() => frame.locator('#server-time').textContent(), { timeout: 15_000 })
      .toMatch(/^\d{4}-\d\d-\d\dT/)
    const forwarded = h.workbench.log.snapshot().filter((e) => e.tool === 'get-time' && e.upstream)
    expect(forwarded.length).toBeGreaterThan(0)
    expect(forwarded.at(-1)?.upstream).toMatchObject({
      target: upstream.url,
      status: 200,
      error: null,
    })
    if (SHOTS) await h.page.screenshot({ path: `${SHOTS}/gateway-preview.png`, fullPage: true })
  })

  it('shows both legs of a forwarded call in Requests', async () => {
    await h.page.getByRole('button', { name: 'Show in Requests' }).click()
    const leg = h.page.getByRole('region', { name: 'Upstream leg' })
    await leg.getByText(upstream.url).waitFor()
    await leg.getByText(/HTTP 200/).waitFor()
    await leg.getByText('Forwarded anonymously: no identity, no token.').waitFor()
    if (SHOTS) await h.page.screenshot({ path: `${SHOTS}/gateway-requests.png`, fullPage: true })
  })

  it('shows an upstream that went down on Overview, naming it and the cause, and keeps serving', async () => {
    const client = await connectClient(h.workbench.mcpUrl())
    await upstream.stop()
    const result = await client.callTool({ name: 'get-time', arguments: {} })
    await client.close()
    expect(result.isError).toBe(true)
    await open('Overview')
    const alert = h.page.getByRole('alert').filter({ hasText: 'Gateway to' })
    await alert.getByText(upstream.url).waitFor()
    await expect
      .poll(() => alert.textContent())
      .toMatch(/\(http, failed\): unreachable \(ECONNREFUSED/)
    if (SHOTS)
      await h.page.screenshot({ path: `${SHOTS}/gateway-overview-down.png`, fullPage: true })
    // The Workbench keeps serving: it still publishes the key its forwarded identities are signed with.
    const jwks = await fetch(new URL(IDENTITY_JWKS_PATH, h.workbench.mcpUrl()))
    expect(jwks.status).toBe(200)
  })
})
