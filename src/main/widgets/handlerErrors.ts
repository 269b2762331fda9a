import { execFile } from 'node:child_process'
import { basename, dirname, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface HandlerErrorInfo {
  name: string
  message: string
  stack: string
}

/**
 * `handler.js:12` (relative to the widget folder) of the first stack frame in the widget's folder.
 */
export function locateInFolder(stack: string, folder: string): string | null {
  for (const match of stack.matchAll(/(file:\/\/[^\s):?]+)(?:\?[^\s):]*)?:(\d+):\d+/g)) {
    let path: string
    try {
      path = fileURLToPath(match[1])
    } catch {
      continue
    }
    if (path.startsWith(`${folder}/`) || path.startsWith(`${folder}\\`))
      return `${relative(folder, path)}:${match[2]}`
  }
  return null
}

/**
 * Where a module's syntax error is: V8 leaves it out of a module's SyntaxError, so ask `node
 * --check`, whose first line is `<file>:<line>`. Null when it cannot tell.
 */
export function locateSyntaxError(file: string): Promise<string | null> {
  return new Promise((resolve) => {
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' }
    execFile(
      process.execPath,
      ['--check', file],
      { env, timeout: 10_000 },
      (_err, _stdout, stderr) => {
        const first = String(stderr).split('\n')[0] ?? ''
        const match = /:(\d+)$/.exec(first)
        resolve(match ? `${basename(file)}:${match[1]}` : null)
      },
    )
  })
}

/** The folder a handler file belongs to, for `locateInFolder`. */
export function handlerFolder(file: string): string {
  return dirname(file)
}

/** A worker's stack as the developer wrote the code: no cache-busting query, no worker plumbing. */
export function cleanStack(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => !/\[worker eval\]|node:internal/.test(line))
    .map((line) => line.replace(/(file:\/\/[^\s):?]+)\?v=[\d.]+/g, '$1'))
    .join('\n')
}

/** Any thrown value as name, message and stack. */
export function errorInfo(err: unknown): HandlerErrorInfo {
  return err instanceof Error
    ? { name: err.name, message: err.message, stack: String(err.stack ?? '') }
    : { name: 'Error', message: String(err), stack: '' }
}
