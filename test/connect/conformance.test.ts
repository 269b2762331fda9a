import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bounded, conformance, requiredScenarios, root, run, tally } from './runConformance'

const CONNECT = 'npm run --silent connect --'
const out = () => mkdtempSync(join(tmpdir(), 'conformance-'))

// The official MCP conformance runner drives `npm run connect` through every client scenario that
// revision 2026-07-28 scores (extensions are run by `--requirements` but never scored, so not here).
describe('the official MCP conformance client suite, revision 2026-07-28', () => {
  it('passes every scored scenario with npm run connect', async () => {
    const scenarios = await requiredScenarios('2026-07-28', 'Client')
    expect(scenarios).toContain('auth/iss-wrong-issuer')
    expect(scenarios.length).toBeGreaterThanOrEqual(30)
    // One scenario at a time per lane, two lanes: the parallel `--requirements` run starts ~40 at once.
    const results = await bounded(scenarios, 2, async (scenario) => {
      const args = [
        'client',
        '--command',
        CONNECT,
        '--scenario',
        scenario,
        '--spec-version',
        '2026-07-28',
        '-o',
        out(),
      ]
      const { output, code } = await conformance(args)
      return { scenario, code, counts: tally(output) }
    })
    const failing = results.filter(
      (r) => r.code !== 0 || !r.counts || r.counts.failed > 0 || r.counts.passed === 0,
    )
    expect(failing).toEqual([])
  }, 900_000)
})

describe('the 0.1.16 conformance client auth suite (conformance-legacy)', () => {
  it('still passes 14 of 14 scenarios with npm run connect', async () => {
    const cli = join(root, 'node_modules', 'conformance-legacy', 'dist', 'index.js')
    const { output } = await run(
      join(root, 'node_modules', '.bin', 'node'),
      [cli, 'client', '--command', CONNECT, '--suite', 'auth', '-o', out()],
      300_000,
    )
    const summary = output.slice(output.indexOf('=== SUITE SUMMARY ==='))
    const scenarios = [...summary.matchAll(/^([✓✗]) (auth\/\S+): (\d+) passed, (\d+) failed/gm)]
    expect(scenarios.length).toBe(14)
    expect(scenarios.filter((s) => s[1] !== '✓' || s[4] !== '0').map((s) => s[2])).toEqual([])
    expect(summary).toMatch(/Total: \d+ passed, 0 failed/)
  }, 330_000)
})
