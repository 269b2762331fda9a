import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkProjectFolder } from '../../src/main/commands/projectFolderCommands'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbench-folder-check-'))
  await mkdir(join(dir, 'empty'))
  await writeFile(join(dir, 'file.txt'), 'not a folder')
  await cp(resolve('resources/sample-widgets/public-widget'), join(dir, 'project', 'hello'), {
    recursive: true,
  })
  await mkdir(join(dir, 'project', 'broken'))
  await writeFile(join(dir, 'project', 'broken', 'widget.json'), '{ "title": ')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('checkProjectFolder (Widgets: "Serve widgets from a folder…")', () => {
  it('refuses what cannot be served, saying why', async () => {
    expect(await checkProjectFolder('my-widgets')).toMatchObject({
      ok: false,
      message: expect.stringContaining('absolute path'),
    })
    expect(await checkProjectFolder(join(dir, 'nope'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('There is no folder at'),
    })
    expect(await checkProjectFolder(join(dir, 'file.txt'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('is a file'),
    })
    expect(await checkProjectFolder(join(dir, 'empty'))).toMatchObject({
      ok: false,
      message: expect.stringContaining('No widgets in'),
    })
  })

  it('accepts a folder with widgets, counting the broken ones too', async () => {
    const check = await checkProjectFolder(`${join(dir, 'project')}/`)
    expect(check).toMatchObject({
      ok: true,
      widgets: ['hello'],
      message: expect.stringContaining('1 widget found; 1 broken'),
    })
    expect(check.errors[0]).toMatchObject({ widget: 'broken' })
  })

  it('expands ~ to the home folder', async () => {
    expect((await checkProjectFolder('~/surely-not-a-folder-here')).path).toBe(
      join(homedir(), 'surely-not-a-folder-here'),
    )
  })
})
