import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

// The official MCP conformance runner drives `npm run connect` through every client auth scenario.
// It needs Node 22, which node_modules/.bin/node provides.
describe('the official MCP conformance client auth suite', () => {
  it('passes every scenario with npm run connect', async () => {
    const output = await new Promise<string>((resolve) => {
      execFile(
        join(root, 'node_modules', '.bin', 'conformance'),
        ['client', '--command', 'npm run --silent connect --', '--suite', 'auth'],
        { cwd: root, env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}` }, timeout: 240_000, maxBuffer: 32 * 1024 * 1024 },
        (_err, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
      )
    })
    const summary = output.slice(output.indexOf('=== SUITE SUMMARY ==='))
    const scenarios = [...summary.matchAll(/^([✓✗]) (auth\/\S+): (\d+) passed, (\d+) failed/gm)]
    expect(scenarios.length).toBeGreaterThanOrEqual(14)
    expect(scenarios.filter((s) => s[1] !== '✓' || s[4] !== '0').map((s) => s[2])).toEqual([])
    expect(summary).toMatch(/Total: \d+ passed, 0 failed/)
  }, 300_000)
})
