import { spawn, spawnSync } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

// The README's commands as a newcomer types them: `npm start` / `npm run serve` before `npm ci`,
// and `npm run serve` right after it (npm test builds out/ first; a stale out/ is rebuilt by the
// launcher).

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'workbench-launch-'))
  dirs.push(dir)
  return dir
}

describe('launch scripts', () => {
  it.each(['start.mjs', 'serve.mjs'])(
    '%s before npm ci prints one line, not a stack',
    async (script) => {
      const clone = await tempDir()
      await mkdir(join(clone, 'scripts'))
      await copyFile(resolve('scripts', script), join(clone, 'scripts', script))
      await copyFile(resolve('package.json'), join(clone, 'package.json'))
      const run = spawnSync(process.execPath, [join(clone, 'scripts', script)], {
        cwd: clone,
        encoding: 'utf8',
      })
      expect(run.status).toBe(1)
      expect(run.stdout).toBe('')
      expect(run.stderr.trimEnd().split('\n')).toEqual([
        expect.stringContaining('run `npm ci` first'),
      ])
    },
  )

  it('serve prints the endpoint and serves the built UI, never "not built yet"', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'config.json'), JSON.stringify({ server: { port: 0 } }))
    const child = spawn(
      process.execPath,
      ['scripts/serve.mjs', '--config', join(dir, 'config.json')],
      {
        env: { ...process.env, WORKBENCH_DATA_DIR: join(dir, 'data') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    try {
      const out = await new Promise<string>((done, fail) => {
        let text = ''
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString()
          if (text.includes('Workbench UI:')) done(text)
        })
        child.on('exit', (code) => fail(new Error(`serve exited with ${code}: ${text}`)))
      })
      expect(out).toMatch(/^MCP endpoint: http:\/\/127\.0\.0\.1:\d+\/mcp$/m)
      const uiUrl = /^Workbench UI: (\S+)$/m.exec(out)![1]
      const page = await fetch(new URL('/', uiUrl))
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).not.toContain('not built yet')
      expect(html).toContain('<div id="root">')
    } finally {
      child.kill('SIGINT')
      await new Promise((r) => child.once('exit', r))
    }
  }, 90_000)
})
