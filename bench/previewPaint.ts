// Part of `npm run bench`: time from "Call widget" to the widget's first contentful paint in Preview, for a sample
// widget and for a real MCP App from the npm registry (@modelcontextprotocol/server-basic-react), in Chromium.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHarness } from '../test/e2e/harness'
import { REAL_APPS, stopRealAppServer, writeRealAppWidget } from '../test/e2e/realApps'

const RUNS = Number(process.env.BENCH_PREVIEW_RUNS ?? 12)
const GOAL_MS = 300

const project = await mkdtemp(join(tmpdir(), 'workbench-bench-preview-'))
const folder = await writeRealAppWidget(project, REAL_APPS.react)
const harness = await startHarness({ config: { auth: { issuer: 'off' } } })
const { page } = harness

async function measure(widget: string, frameTitle: string): Promise<number[]> {
  await page.getByRole('combobox', { name: 'Widget' }).selectOption(widget)
  const times: number[] = []
  for (let i = 0; i < RUNS + 1; i++) {
    const label = page.getByText(/^first paint \d+ ms$/)
    await page.getByRole('button', { name: 'Call widget' }).click()
    await label.waitFor({ state: 'detached', timeout: 20_000 }) // the previous call's figure goes first
    await label.waitFor({ timeout: 20_000 })
    await page.frameLocator(`iframe[title="${frameTitle}"]`).locator('body').waitFor()
    const ms = Number(/(\d+)/.exec(await label.innerText())![1])
    if (i > 0) times.push(ms) // the first run warms caches (tools/list, resources/list)
  }
  return times
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return {
    median: s[Math.floor(s.length / 2)],
    p90: s[Math.floor(s.length * 0.9)],
    min: s[0],
    max: s.at(-1)!,
  }
}

try {
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: /^Preview\b/ })
    .click()
  const sample = stats(await measure('public-widget', 'Widget public-widget'))
  await harness.workbench.config.update((raw) => ({ ...raw, projectDir: project }))
  await page
    .getByRole('combobox', { name: 'Widget' })
    .locator('option[value="get-time"]')
    .waitFor({ state: 'attached' })
  const real = stats(await measure('get-time', 'Widget get-time'))
  console.log(
    `\nPreview: "Call widget" to the widget's first paint (${RUNS} runs each, Chromium, loopback)`,
  )
  console.log(
    `  sample widget (public-widget)        median ${sample.median} ms  p90 ${sample.p90} ms  min ${sample.min} ` +
      ` max ${sample.max}  goal < ${GOAL_MS} ms: ${sample.median < GOAL_MS ? 'met' : 'NOT met'}`,
  )
  console.log(
    `  real app (server-basic-react, 413 kB) median ${real.median} ms  p90 ${real.p90} ms  min ${real.min}  max ${real.max}`,
  )
} finally {
  await harness.close()
  await stopRealAppServer(folder)
  await rm(project, { recursive: true, force: true })
}
