import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { WidgetLoadError } from '../../shared/events'
import { WidgetIdSchema } from '../../shared/config'
import { WidgetManifestSchema, type WidgetDefinition, type WidgetHandler } from './widgetDefinition'

export interface WidgetFolderResult {
  widgets: WidgetDefinition[]
  errors: WidgetLoadError[]
}

/** Loads every `<dir>/<id>/widget.json` with its template and handler; a broken widget is reported, the rest load. */
export async function loadWidgetFolder(dir: string): Promise<WidgetFolderResult> {
  const widgets: WidgetDefinition[] = []
  const errors: WidgetLoadError[] = []
  let entries: string[]
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').map((e) => e.name).sort()
  } catch (err) {
    return { widgets, errors: [{ widget: '(project)', file: dir, field: null, message: `cannot read the project folder: ${(err as Error).message}` }] }
  }
  await Promise.all(entries.map(async (id) => {
    const loaded = await loadWidget(join(dir, id), id)
    if ('widget' in loaded) widgets.push(loaded.widget)
    else if (loaded.error) errors.push(loaded.error)
  }))
  widgets.sort((a, b) => a.id.localeCompare(b.id))
  return { widgets, errors }
}

async function loadWidget(folder: string, id: string): Promise<{ widget: WidgetDefinition } | { error: WidgetLoadError | null }> {
  const manifestPath = join(folder, 'widget.json')
  const fail = (file: string, field: string | null, message: string) => ({ error: { widget: id, file, field, message } })
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
  const templatePath = join(folder, manifest.template)
  let template: string
  try {
    template = await readFile(templatePath, 'utf8')
  } catch (err) {
    return fail(templatePath, 'template', `cannot read the template: ${(err as Error).message}`)
  }
  const handlerPath = join(folder, manifest.handler)
  let handler: WidgetHandler
  try {
    const { mtimeMs } = await stat(handlerPath)
    // The query busts Node's module cache so an edited handler is loaded anew.
    const mod = (await import(`${pathToFileURL(handlerPath).href}?v=${mtimeMs}`)) as { default?: unknown; handle?: unknown }
    const fn = mod.default ?? mod.handle
    if (typeof fn !== 'function') return fail(handlerPath, 'default export', 'the handler module must export a function as default (or as `handle`)')
    handler = fn as WidgetHandler
  } catch (err) {
    return fail(handlerPath, 'handler', `cannot load the handler: ${(err as Error).message}`)
  }
  return { widget: { id, manifest, template, handler, source: folder } }
}
