import { spawn, spawnSync } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
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
      for (const file of [script, 'buildFreshness.mjs']) {
        await copyFile(resolve('scripts', file), join(clone, 'scripts', file))
      }
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

describe('when serve builds first', () => {
  it('builds when out/ is missing or older than any source, not otherwise', async () => {
    const { isBuildStale } = (await import(resolve('scripts/buildFreshness.mjs'))) as {
      isBuildStale(root: string): boolean
    }
    const root = await tempDir()
    const files = [
      'src/main/core.ts',
      'src/renderer/src/App.tsx',
      'package.json',
      'electron.vite.config.ts',
    ]
    for (const f of files) {
      await mkdir(join(root, f, '..'), { recursive: true })
      await writeFile(join(root, f), '')
    }
    expect(isBuildStale(root)).toBe(true)
    const at = (file: string, seconds: number) => utimes(join(root, file), seconds, seconds)
    for (const f of ['out/main/serve.js', 'out/renderer/index.html']) {
      await mkdir(join(root, f, '..'), { recursive: true })
      await writeFile(join(root, f), '')
    }
    for (const f of [...files, 'src', 'src/main', 'src/renderer', 'src/renderer/src'])
      await at(f, 1000)
    await at('out/main/serve.js', 2000)
    await at('out/renderer/index.html', 2000)
    expect(isBuildStale(root)).toBe(false)
    await at('src/renderer/src/App.tsx', 3000)
    expect(isBuildStale(root)).toBe(true)
    await at('out/renderer/index.html', 4000)
    expect(isBuildStale(root)).toBe(true) // serve.js is older than App.tsx
    await at('out/main/serve.js', 4000)
    expect(isBuildStale(root)).toBe(false)
  })
})
