// Part of `npm run bench`: does the Requests screen stay responsive with 10,000 rows arriving at hundreds
// per second? Real UI in Debian Chromium (browser mode), real bridge, events appended to the core's log.
import { startHarness } from '../test/e2e/harness'

const TOTAL = Number(process.env.BENCH_UI_EVENTS ?? 10_000)
const PER_SECOND = Number(process.env.BENCH_UI_RATE ?? 500)

const harness = await startHarness({ config: { auth: { issuer: 'off' } } })
const { page, workbench } = harness
try {
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: /^Requests\b/ })
    .click()
  await page.getByRole('grid', { name: 'Requests' }).waitFor()
  // One real call gives a realistic event to clone.
  await fetch(`${workbench.baseUrl()}/.well-known/oauth-protected-resource`)
  const template = workbench.log.snapshot().at(-1)!
  const { id: _id, ...sample } = template

  // Strings, not functions: tsx's name helpers do not exist inside the page.
  await page.evaluate(`(() => {
    window.frames_ = []
    window.stop_ = false
    let last = performance.now()
    const tick = (now) => {
      window.frames_.push(now - last)
      last = now
      if (!window.stop_) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })()`)
  const started = performance.now()
  const batch = Math.max(1, Math.round(PER_SECOND / 50))
  for (let sent = 0; sent < TOTAL; sent += batch) {
    for (let i = 0; i < batch; i++)
      workbench.log.append({ ...sample, time: Date.now(), path: `/mcp/${sent + i}` })
    await new Promise((r) => setTimeout(r, 20))
  }
  const sendMs = performance.now() - started
  await page
    .getByText(`${Math.min(TOTAL, workbench.log.capacity)} requests`)
    .waitFor({ timeout: 60_000 })
  const lagMs = performance.now() - started - sendMs
  const frames = (await page.evaluate(
    `(() => { window.stop_ = true; return window.frames_.slice(1) })()`,
  )) as number[]
  const domRows = await page.locator('.log-row:not(.log-header)').count()

  const filterStart = performance.now()
  await page.getByLabel('Filter requests').fill('/mcp/9999')
  await page.getByText(/^1 of \d+/).waitFor({ timeout: 30_000 })
  const filterMs = performance.now() - filterStart

  const pct = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
  console.log(
    `Requests screen, ${TOTAL} events at ~${Math.round((TOTAL / sendMs) * 1000)}/s through the bridge (Chromium, browser mode)`,
  )
  console.log(
    `frame time during ingestion: p50 ${pct(frames, 50).toFixed(1)} ms, p95 ${pct(frames, 95).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms (${frames.length} frames)`,
  )
  console.log(
    `last event on screen ${lagMs.toFixed(0)} ms after it was sent; ${domRows} rows in the DOM (virtualised)`,
  )
  console.log(
    `text filter over ${Math.min(TOTAL, workbench.log.capacity)} rows: ${filterMs.toFixed(0)} ms until the one match shows`,
  )
} finally {
  await harness.close()
}
