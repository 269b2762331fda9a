import { watch, type FSWatcher } from 'chokidar'
import type { WidgetLoadError } from '../../shared/events'
import { closeHandlerWorkers } from './handlerWorkers'
import { loadWidgetFolder } from './loadWidgetFolder'
import type { WidgetDefinition } from './widgetDefinition'

export interface WidgetRegistry {
  list(): WidgetDefinition[]
  get(id: string): WidgetDefinition | undefined
  errors(): WidgetLoadError[]
  /** The folder served. */
  dir(): string
  /** Serve another folder (projectDir changed). */
  setDir(dir: string): Promise<void>
  reload(): Promise<void>
  /** Called after every reload that changed the widgets or their errors. */
  onChange(listener: () => void): () => void
  close(): void
}

export interface WidgetRegistryOptions {
  dir: string
  /** Reload when a file below the folder changes. Default true. */
  watch?: boolean
  /** Quiet time after the last file event before reloading, in milliseconds. Default 80. */
  debounceMs?: number
  /** Whether a folder's handlers run in worker threads (project widgets). Default: never. */
  isolate?: (dir: string) => boolean
}

/**
 * The widgets of one folder, reloaded when its files change (editors that save by renaming
 * included).
 */
export async function createWidgetRegistry(
  options: WidgetRegistryOptions,
): Promise<WidgetRegistry> {
  let dir = options.dir
  let widgets = new Map<string, WidgetDefinition>()
  let loadErrors: WidgetLoadError[] = []
  let fingerprint = ''
  const listeners = new Set<() => void>()
  let watcher: FSWatcher | null = null
  let timer: NodeJS.Timeout | undefined
  let loading: Promise<void> = Promise.resolve()

  async function load(): Promise<void> {
    const result = await loadWidgetFolder(dir, { isolate: options.isolate?.(dir) ?? false })
    widgets = new Map(result.widgets.map((w) => [w.id, w]))
    loadErrors = result.errors
    const next = JSON.stringify([
      result.widgets.map((w) => [
        w.id,
        w.manifest,
        w.template,
        w.isolated?.version ?? w.handler.toString(),
      ]),
      result.errors,
    ])
    if (next === fingerprint) return
    fingerprint = next
    for (const l of listeners) l()
  }
  // One load at a time, so a slow load never overwrites a newer one.
  const reload = (): Promise<void> => (loading = loading.then(load, load))

  function startWatching(): void {
    if (options.watch === false) return
    const ignored = (path: string) => /(^|[/\\])(node_modules|\.git)([/\\]|$)/.test(path)
    watcher = watch(dir, { ignoreInitial: true, ignored, depth: 4 })
    watcher.on('all', () => {
      clearTimeout(timer)
      timer = setTimeout(() => void reload().catch(() => {}), options.debounceMs ?? 80)
    })
    watcher.on('error', () => {})
  }
  function stopWatching(): void {
    clearTimeout(timer)
    void watcher?.close()
    watcher = null
  }

  await reload()
  startWatching()
  return {
    list: () => [...widgets.values()],
    get: (id) => widgets.get(id),
    errors: () => loadErrors,
    dir: () => dir,
    async setDir(next) {
      if (next === dir) return
      stopWatching()
      closeHandlerWorkers(dir)
      dir = next
      await reload()
      startWatching()
    },
    reload,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      stopWatching()
      closeHandlerWorkers(dir)
    },
  }
}
