import { watch } from 'node:fs/promises'
import type { WidgetLoadError } from '../../shared/events'
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
}

/** The widgets of one folder, reloaded when its files change. */
export async function createWidgetRegistry(options: WidgetRegistryOptions): Promise<WidgetRegistry> {
  let dir = options.dir
  let widgets = new Map<string, WidgetDefinition>()
  let loadErrors: WidgetLoadError[] = []
  let fingerprint = ''
  const listeners = new Set<() => void>()
  let abort = new AbortController()

  async function reload(): Promise<void> {
    const result = await loadWidgetFolder(dir)
    widgets = new Map(result.widgets.map((w) => [w.id, w]))
    loadErrors = result.errors
    const next = JSON.stringify([result.widgets.map((w) => [w.id, w.manifest, w.template, w.handler.toString()]), result.errors])
    if (next === fingerprint) return
    fingerprint = next
    for (const l of listeners) l()
  }

  function startWatching(): void {
    if (options.watch === false) return
    abort = new AbortController()
    void watchTree(dir, abort.signal, options.debounceMs ?? 80, reload)
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
      abort.abort()
      dir = next
      await reload()
      startWatching()
    },
    reload,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close: () => abort.abort(),
  }
}

async function watchTree(dir: string, signal: AbortSignal, debounceMs: number, onChange: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    for await (const _event of watch(dir, { recursive: true, signal, persistent: false })) {
      clearTimeout(timer)
      timer = setTimeout(() => void onChange().catch(() => {}), debounceMs)
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError' && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  } finally {
    clearTimeout(timer)
  }
}
