import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { WidgetLoadError } from '../../shared/events'
import { WidgetIdSchema } from '../../shared/config'
import { locateInFolder } from './handlerErrors'
import { probeHandler } from './handlerWorkers'
import { WidgetManifestSchema, type WidgetDefinition, type WidgetHandler } from './widgetDefinition'

export interface WidgetFolderResult {
  widgets: WidgetDefinition[]
  errors: WidgetLoadError[]
}

export interface LoadWidgetFolderOptions {
  /**
   * Run handlers in worker threads that can be stopped (project widgets). Default false (the
   * samples).
   */
  isolate?: boolean
}

type Loaded = { widget: WidgetDefinition } | { error: WidgetLoadError | null }

/**
 * Loads every `<dir>/<id>/widget.json` with its template and handler; a broken widget is reported,
 * the rest load.
 */
export async function loadWidgetFolder(
  dir: string,
  options: LoadWidgetFolderOptions = {},
): Promise<WidgetFolderResult> {
  const widgets: WidgetDefinition[] = []
  const errors: WidgetLoadError[] = []
  let entries: { name: string; link: boolean }[]
  try {
    entries = (await readdir(dir, { withFileTypes: true }))
      .filter(
        (e) =>
          (e.isDirectory() || e.isSymbolicLink()) &&
          !e.name.startsWith('.') &&
          e.name !== 'node_modules',
      )
      .map((e) => ({ name: e.name, link: e.isSymbolicLink() }))
      .sort((a, b) => a.name.localeCompare(b.name))
  } catch (err) {
    return {
      widgets,
      errors: [
        {
          widget: '(project)',
          file: dir,
          field: null,
          message: `cannot read the project folder: ${(err as Error).message}`,
        },
      ],
    }
  }
  await Promise.all(
    entries.map(async ({ name, link }) => {
      const loaded = link
        ? await symlinkedFolder(join(dir, name), name)
        : await loadWidget(join(dir, name), name, options)
      if ('widget' in loaded) widgets.push(loaded.widget)
      else if (loaded.error) errors.push(loaded.error)
    }),
  )
  widgets.sort((a, b) => a.id.localeCompare(b.id))
  errors.sort((a, b) => a.widget.localeCompare(b.widget))
  return { widgets, errors }
}

/**
 * A widget folder that is a symbolic link is reported, not followed: its files could be anywhere.
 */
async function symlinkedFolder(path: string, id: string): Promise<Loaded> {
  const target = await readlink(path).catch(() => '?')
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  )
  if (!isDir) return { error: null }
  const message = `is a symbolic link (to ${target}); widget folders must be real folders: move or copy the widget here`
  return { error: { widget: id, file: path, field: null, message } }
}

/**
 * The real path of `name` in `folder`, or why it is refused: it must stay inside the folder, links
 * resolved.
 */
async function confined(
  folder: string,
  name: string,
): Promise<{ path: string } | { error: string }> {
  try {
    const root = await realpath(folder)
    const path = await realpath(join(folder, name))
    if (!path.startsWith(root + sep))
      return { error: `"${name}" is outside the widget folder; it must name a file inside it` }
    return { path }
  } catch (err) {
    return { error: `cannot read "${name}": ${(err as Error).message}` }
  }
}

async function loadWidget(
  folder: string,
  id: string,
  options: LoadWidgetFolderOptions,
): Promise<Loaded> {
  const manifestPath = join(folder, 'widget.json')
  const fail = (file: string, field: string | null, message: string) => ({
    error: { widget: id, file, field, message },
  })
  let text: string
  try {
    text = await readFile(manifestPath, 'utf8')
  } catch {
    return { error: null } // a folder without widget.json is not a widget
  }
  const idCheck = WidgetIdSchema.safeParse(id)
  if (!idCheck.success) return fail(folder, null, `folder name: ${idCheck.error.issues[0].message}`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    return fail(manifestPath, null, `not valid JSON: ${(err as Error).message}`)
  }
  const parsed = WidgetManifestSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return fail(manifestPath, issue.path.map(String).join('.') || null, issue.message)
  }
  const manifest = parsed.data
  const templateFile = await confined(folder, manifest.template)
  if ('error' in templateFile)
    return fail(join(folder, manifest.template), 'template', templateFile.error)
  let template: string
  try {
    template = await readFile(templateFile.path, 'utf8')
  } catch (err) {
    return fail(
      templateFile.path,
      'template',
      `cannot read the template: ${(err as Error).message}`,
    )
  }
  const handlerFile = await confined(folder, manifest.handler)
  if ('error' in handlerFile)
    return fail(join(folder, manifest.handler), 'handler', handlerFile.error)
  const handlerPath = handlerFile.path
  const { mtimeMs } = await stat(handlerPath)
  if (options.isolate) {
    const isolated = { file: handlerPath, version: mtimeMs }
    const probe = await probeHandler(isolated)
    if (!probe.ok) {
      const where = probe.location ?? locateInFolder(probe.error.stack, folder)
      const message = `cannot load the handler: ${probe.error.name === 'SyntaxError' ? 'SyntaxError: ' : ''}${probe.error.message}${where ? ` (${where})` : ''}`
      const noExport = probe.error.message.startsWith('the handler module must export')
      return fail(handlerPath, noExport ? 'default export' : 'handler', message)
    }
    return { widget: { id, manifest, template, handler: runsInWorker, isolated, source: folder } }
  }
  let handler: WidgetHandler
  try {
    // The query busts Node's module cache so an edited handler is loaded anew.
    const mod = (await import(`${pathToFileURL(handlerPath).href}?v=${mtimeMs}`)) as {
      default?: unknown
      handle?: unknown
    }
    const fn = mod.default ?? mod.handle
    if (typeof fn !== 'function')
      return fail(
        handlerPath,
        'default export',
        'the handler module must export a function as default (or as `handle`)',
      )
    handler = fn as WidgetHandler
  } catch (err) {
    return fail(handlerPath, 'handler', `cannot load the handler: ${(err as Error).message}`)
  }
  return { widget: { id, manifest, template, handler, source: folder } }
}

const runsInWorker: WidgetHandler = () => {
  throw new Error('this handler runs in a worker thread: call it through runWidgetHandler')
}
