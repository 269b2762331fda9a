import { open, rename, mkdir, unlink } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'

export interface WriteFileAtomicOptions {
  /** File mode of the written file. Default 0o644. */
  mode?: number
}

/** Writes via a temporary file, fsync and rename, so a reader sees the old or the new file, never half of one. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(tmp, 'w', options.mode ?? 0o644)
  try {
    // The mode exactly, whatever the umask.
    await handle.chmod(options.mode ?? 0o644)
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await rename(tmp, path)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    throw err
  }
}
