import { readFile, realpath, stat } from 'node:fs/promises'
import { watch } from 'chokidar'
import {
  migrateConfigInput,
  parseConfig,
  type WorkbenchConfig,
  type WorkbenchConfigInput,
} from '../../shared/config'
import { WorkbenchError } from '../../shared/errors'
import { unknownConfigKeys } from './unknownConfigKeys'
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
  /** Keys of the file the Workbench does not know (misspelt ones name the nearest valid key). */
  warnings(): string[]
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
  /** Told each unknown key once, when a load first finds it. */
  onWarning?: (message: string) => void
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
  let warnings: string[] = []

  const initial: ReadResult = path
    ? await readConfigFile(path)
    : { ok: true, raw: {}, config: parseEmpty(), text: null }
  if (!initial.ok) throw new WorkbenchError('ERR_CONFIG_INVALID', initial.message)
  const setWarnings = (next: string[]): void => {
    for (const w of next) if (!warnings.includes(w)) options.onWarning?.(w)
    warnings = next
  }
  raw = initial.raw
  setWarnings(unknownConfigKeys(raw))
  lastText = initial.text
  let parsedConfig = initial.config
  let current = overrides(parsedConfig)

  function apply(nextRaw: WorkbenchConfigInput, nextConfig: WorkbenchConfig): void {
    const previous = current
    raw = nextRaw
    setWarnings(unknownConfigKeys(nextRaw))
    parsedConfig = nextConfig
    current = overrides(nextConfig)
    setError(null)
    if (JSON.stringify(previous) !== JSON.stringify(current))
      for (const l of listeners) l(current, previous)
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
    // While serving, a missing or empty file is a mistake (or a save half done), not "use the defaults".
    if (loaded.text === null)
      return setError(
        `${path}: the file was deleted; the last good config keeps serving until it is back`,
      )
    if (loaded.text.trim() === '')
      return setError(`${path}: the file is empty; the last good config keeps serving`)
    if (loaded.text === lastText) return setError(null)
    lastText = loaded.text
    const before = warnings
    apply(loaded.raw, loaded.config)
    if (warnings !== before) for (const l of errorListeners) l(error)
  }

  // chokidar follows editors that save by writing a new file and renaming it over the old one.
  const watcher =
    path && options.watch !== false ? watch(path, { ignoreInitial: true, atomic: 100 }) : null
  let timer: NodeJS.Timeout | undefined
  let reloading: Promise<void> = Promise.resolve()
  watcher?.on('all', () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      reloading = reloading
        .then(reloadFromDisk)
        .catch((err: Error) => setError(`${path}: ${err.message}`))
    }, 40)
  })
  watcher?.on('error', () => {})

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
          // Write through a symlinked config, and keep the file's mode (a 0600 config stays 0600).
          const target = await realpath(path).catch(() => path)
          const mode = await stat(target).then(
            (s) => s.mode & 0o777,
            () => undefined,
          )
          await writeFileAtomic(target, text, { mode })
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
      if (JSON.stringify(previous) !== JSON.stringify(current))
        for (const l of listeners) l(current, previous)
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
    warnings: () => warnings,
    close() {
      clearTimeout(timer)
      void watcher?.close()
    },
  }
}

function parseEmpty(): WorkbenchConfig {
  const parsed = parseConfig({})
  if (!parsed.ok) throw new WorkbenchError('ERR_CONFIG_INVALID', parsed.message)
  return parsed.config
}

type ReadResult =
  | { ok: true; raw: WorkbenchConfigInput; config: WorkbenchConfig; text: string | null }
  | { ok: false; message: string }

async function readConfigFile(path: string): Promise<ReadResult> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { ok: true, raw: {}, config: parseEmpty(), text: null }
    return { ok: false, message: `${path}: cannot read: ${(err as Error).message}` }
  }
  if (text.trim() === '') return { ok: true, raw: {}, config: parseEmpty(), text }
  try {
    const raw = JSON.parse(text) as unknown
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      return { ok: false, message: `${path}: the config must be a JSON object` }
    const parsed = parseConfig(raw)
    if (!parsed.ok) return { ok: false, message: `${path}: ${parsed.message}` }
    return {
      ok: true,
      raw: migrateConfigInput(raw) as WorkbenchConfigInput,
      config: parsed.config,
      text,
    }
  } catch (err) {
    return { ok: false, message: `${path}: not valid JSON: ${(err as Error).message}` }
  }
}
