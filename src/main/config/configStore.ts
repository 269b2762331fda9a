import { readFile, watch } from 'node:fs/promises'
import { dirname, basename } from 'node:path'
import { migrateConfigInput, parseConfig, type WorkbenchConfig, type WorkbenchConfigInput } from '../../shared/config'
import { WorkbenchError } from '../../shared/errors'
import { writeFileAtomic } from './writeFileAtomic'

export type ConfigListener = (config: WorkbenchConfig, previous: WorkbenchConfig) => void
export type ConfigErrorListener = (message: string | null) => void

export interface ConfigStore {
  /** The config in force: the last one that validated. */
  get(): WorkbenchConfig
  /** The file's content as written (unknown fields and omitted defaults kept as they are). */
  raw(): WorkbenchConfigInput
  /** Validates `next(raw)`, writes it atomically and applies it; throws ERR_CONFIG_INVALID naming the field. */
  update(next: (raw: WorkbenchConfigInput) => WorkbenchConfigInput): Promise<WorkbenchConfig>
  /** Replaces the in-memory overrides applied over the file (CLI flags, the tunnel's public URL) and re-applies them. */
  setOverrides(overrides: (config: WorkbenchConfig) => WorkbenchConfig): void
  onChange(listener: ConfigListener): () => void
  onError(listener: ConfigErrorListener): () => void
  /** The last file error, cleared by the next good load. */
  lastError(): string | null
  path: string | null
  close(): void
}

export interface ConfigStoreOptions {
  /** JSON file; null keeps the config in memory only. */
  path: string | null
  /** Re-read the file when it changes on disk. Default true when there is a path. */
  watch?: boolean
  /** Applied after every load: CLI flags that beat the file. */
  overrides?: (config: WorkbenchConfig) => WorkbenchConfig
}

/** Loads, validates, watches and atomically writes the config file; a bad file keeps the last good config. */
export async function createConfigStore(options: ConfigStoreOptions): Promise<ConfigStore> {
  const path = options.path
  let overrides = options.overrides ?? ((c: WorkbenchConfig) => c)
  const listeners = new Set<ConfigListener>()
  const errorListeners = new Set<ConfigErrorListener>()
  let raw: WorkbenchConfigInput = {}
  let error: string | null = null
  let lastText: string | null = null

  const initial: ReadResult = path ? await readConfigFile(path) : { ok: true, raw: {}, config: parseEmpty(), text: null }
  if (!initial.ok) throw new WorkbenchError('ERR_CONFIG_INVALID', initial.message)
  raw = initial.raw
  lastText = initial.text
  let parsedConfig = initial.config
  let current = overrides(parsedConfig)

  function apply(nextRaw: WorkbenchConfigInput, nextConfig: WorkbenchConfig): void {
    const previous = current
    raw = nextRaw
    parsedConfig = nextConfig
    current = overrides(nextConfig)
    setError(null)
    if (JSON.stringify(previous) !== JSON.stringify(current)) for (const l of listeners) l(current, previous)
  }

  function setError(message: string | null): void {
    if (message === error) return
    error = message
    for (const l of errorListeners) l(message)
  }

  async function reloadFromDisk(): Promise<void> {
    if (!path) return
    const loaded = await readConfigFile(path)
    if (!loaded.ok) return setError(loaded.message)
    if (loaded.text === lastText) return
    lastText = loaded.text
    apply(loaded.raw, loaded.config)
  }

  const abort = new AbortController()
  if (path && options.watch !== false) void watchFile(path, abort.signal, reloadFromDisk)

  let writing: Promise<unknown> = Promise.resolve()
  return {
    path,
    get: () => current,
    raw: () => structuredClone(raw),
    async update(next) {
      const run = async (): Promise<WorkbenchConfig> => {
        const nextRaw = next(structuredClone(raw))
        const parsed = parseConfig(nextRaw)
        if (!parsed.ok) throw new WorkbenchError('ERR_CONFIG_INVALID', parsed.message)
        if (path) {
          const text = `${JSON.stringify(nextRaw, null, 2)}\n`
          await writeFileAtomic(path, text)
          lastText = text
        }
        apply(nextRaw, parsed.config)
        return current
      }
      const result = writing.then(run, run)
      writing = result.catch(() => {})
      return result
    },
    setOverrides(next) {
      overrides = next
      const previous = current
      current = overrides(parsedConfig)
      if (JSON.stringify(previous) !== JSON.stringify(current)) for (const l of listeners) l(current, previous)
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onError(listener) {
      errorListeners.add(listener)
      return () => errorListeners.delete(listener)
    },
    lastError: () => error,
    close: () => abort.abort(),
  }
}

function parseEmpty(): WorkbenchConfig {
  const parsed = parseConfig({})
  if (!parsed.ok) throw new WorkbenchError('ERR_CONFIG_INVALID', parsed.message)
  return parsed.config
}

type ReadResult = { ok: true; raw: WorkbenchConfigInput; config: WorkbenchConfig; text: string | null } | { ok: false; message: string }

async function readConfigFile(path: string): Promise<ReadResult> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, raw: {}, config: parseEmpty(), text: null }
    return { ok: false, message: `${path}: cannot read: ${(err as Error).message}` }
  }
  if (text.trim() === '') return { ok: true, raw: {}, config: parseEmpty(), text }
  try {
    const raw = JSON.parse(text) as unknown
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, message: `${path}: the config must be a JSON object` }
    const parsed = parseConfig(raw)
    if (!parsed.ok) return { ok: false, message: `${path}: ${parsed.message}` }
    return { ok: true, raw: migrateConfigInput(raw) as WorkbenchConfigInput, config: parsed.config, text }
  } catch (err) {
    return { ok: false, message: `${path}: not valid JSON: ${(err as Error).message}` }
  }
}

// Watch the folder, not the file: an atomic rename replaces the file's inode and a file watch goes deaf.
async function watchFile(path: string, signal: AbortSignal, onChange: () => Promise<void>): Promise<void> {
  const name = basename(path)
  let timer: NodeJS.Timeout | undefined
  try {
    for await (const event of watch(dirname(path), { signal, persistent: false })) {
      if (event.filename !== name) continue
      clearTimeout(timer)
      timer = setTimeout(() => void onChange(), 40)
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError' && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  } finally {
    clearTimeout(timer)
  }
}
