import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../e2e/harness'
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
})
