import type { Readable } from 'node:stream'
import { deserializeMessage, STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/client'
import type { JsonRpcMessage } from './jsonRpcShapes'

/** A bad line, cut to name it in errors and the log. */
export function excerptOf(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/**
 * Reads newline-delimited JSON-RPC messages from a child's stdout (parsed by the SDK). A line that is not a
 * JSON-RPC message is logged, skipped and given whole to `onMalformed` (the SDK's ReadBuffer drops non-JSON silently).
 */
export function readStdioMessages(
  stdout: Readable,
  label: string,
  logLine: (line: string) => void,
  onMessage: (message: JsonRpcMessage) => void,
  onMalformed: (line: string) => void = () => {},
): void {
  let buffer: Buffer | undefined
  const malformed = (line: string) => {
    logLine(
      `Upstream ${label} wrote a line that is not a JSON-RPC message; ignored: ${excerptOf(line)}`,
    )
    onMalformed(line)
  }
  stdout.on('data', (chunk: Buffer) => {
    buffer = buffer ? Buffer.concat([buffer, chunk]) : chunk
    let end: number
    while ((end = buffer.indexOf(0x0a)) !== -1) {
      const line = buffer.toString('utf8', 0, end).replace(/\r$/, '')
      buffer = buffer.subarray(end + 1)
      if (!line.trim()) continue
      let message: JsonRpcMessage
      try {
        message = deserializeMessage(line) as JsonRpcMessage
      } catch {
        malformed(line)
        continue
      }
      onMessage(message)
    }
    if (buffer.length === 0) buffer = undefined
    else if (buffer.length > STDIO_DEFAULT_MAX_BUFFER_SIZE) {
      buffer = undefined
      malformed(`(a line longer than ${STDIO_DEFAULT_MAX_BUFFER_SIZE} bytes)`)
    }
  })
}

/** The id a malformed line carries, if it is JSON with one. */
export function idIn(line: string): string | undefined {
  try {
    const id = (JSON.parse(line) as { id?: unknown } | null)?.id
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined
  } catch {
    return undefined
  }
}
