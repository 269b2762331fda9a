// Screenshots of every screen from the real UI in browser mode: `npm run screenshots` (after `npm run build`).
// Writes docs/screenshots/<screen>.png (light) and docs/screenshots/<screen>-dark.png for the overview.
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import type { Page } from 'playwright-core'
import { SCREENS } from '../src/renderer/src/screens'
import { startHarness } from '../test/e2e/harness'

const OUT_DIR = resolve('docs/screenshots')

/** Real traffic so Requests, Overview and the checklist have something to show. */
async function makeTraffic(mcpUrl: string): Promise<void> {
  const client = new Client({ name: 'screenshots', version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)))
  await client.listTools()
  await client.callTool({
    name: 'public-widget',
    arguments: { message: 'Hello from the screenshot script' },
  })
  await client.callTool({ name: 'flexible-widget', arguments: {} })
  await client.callTool({ name: 'protected-widget', arguments: { message: 'Hello' } })
  await client.close()
  await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      authorization: 'Bearer not-a-jwt',
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: '{}',
  })
}

async function openScreen(page: Page, label: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: new RegExp(`^${label}\\b`) })
    .click()
  await page
    .locator('main [aria-current], main h1, main h2')
    .first()
    .waitFor({ state: 'visible' })
    .catch(() => {})
  // Let virtualised lists measure and fonts settle: wait for two animation frames, not a fixed delay.
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
  )
}

/** Selects the option of the `main` select that offers `hint`, by a label containing `pick`. */
async function choose(page: Page, hint: string, pick: RegExp): Promise<void> {
  const select = page
    .locator('main select')
    .filter({ has: page.locator('option', { hasText: hint }) })
    .first()
  const labels = await select.locator('option').allTextContents()
  const label = labels.find((l) => pick.test(l))
  if (label) await select.selectOption({ label })
}

/** Per-screen staging, so each shot shows the screen doing its job. Best effort: a miss still gets a shot. */
const STAGE: Partial<Record<string, (page: Page) => Promise<void>>> = {
  async preview(page) {
    await choose(page, 'protected-widget', /protected-widget/)
    await choose(page, 'Anonymous', /alice/i)
    await page.getByRole('button', { name: 'Call widget' }).click()
    await page
      .frameLocator('iframe.widget-frame')
      .getByText(/Hello, /)
      .first()
      .waitFor({ timeout: 10_000 })
  },
  async tokens(page) {
    await page
      .getByRole('group', { name: 'Forge variants' })
      .getByRole('button', { name: /^Expired/ })
      .click()
    await page
      .locator('main')
      .getByText(/expired/i)
      .first()
      .waitFor({ timeout: 10_000 })
  },
  async audit(page) {
    await page.getByRole('combobox', { name: 'Identity' }).selectOption('testUser')
    await page.getByRole('button', { name: 'Run audit' }).click()
    await page
      .locator('main')
      .getByText(/ChatGPT:/)
      .first()
      .waitFor({ timeout: 30_000 })
  },
  async requests(page) {
    await page.locator('main').getByText('protected-widget').last().click()
  },
}

async function main(): Promise<void> {
  await mkdir(OUT_DIR, { recursive: true })
  const harness = await startHarness({ viewport: { width: 1360, height: 860 } })
  try {
    const { page, workbench } = harness
    await page.getByRole('navigation', { name: 'Screens' }).waitFor()
    await makeTraffic(workbench.mcpUrl())
    const written: string[] = []
    // Preview first: its signed-in call then shows in Requests and ticks the Overview checklist.
    const order = [...SCREENS].sort(
      (a, b) => Number(b.id === 'preview') - Number(a.id === 'preview'),
    )
    for (const screen of order) {
      await openScreen(page, screen.label)
      await STAGE[screen.id]?.(page).catch((err: unknown) =>
        console.error(
          `${screen.id}: staging skipped (${err instanceof Error ? err.message.split('\n')[0] : err})`,
        ),
      )
      await page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
      )
      const file = join(OUT_DIR, `${screen.id}.png`)
      await page.screenshot({ path: file })
      written.push(file)
    }
    await page.emulateMedia({ colorScheme: 'dark' })
    await page
      .getByRole('combobox', { name: 'Theme' })
      .selectOption('dark')
      .catch(() => {})
    await openScreen(page, SCREENS[0].label)
    const dark = join(OUT_DIR, `${SCREENS[0].id}-dark.png`)
    await page.screenshot({ path: dark })
    written.push(dark)
    for (const file of written) console.log(`wrote ${file}`)
    if (harness.pageErrors.length)
      console.error(`page errors while shooting:\n  ${harness.pageErrors.join('\n  ')}`)
  } finally {
    await harness.close()
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
