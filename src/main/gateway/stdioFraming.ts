import type { Readable, Writable } from 'node:stream'
import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/client'
import {
  isJsonRpc,
  isNotification,
  isRequest,
  isResponse,
  type JsonRpcMessage,
} from './jsonRpcShapes'

/** A bad line, cut to name it in errors and the log. */
export function excerptOf(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/** A request, a notification or a response: the envelope the relay reads (the rest travels as is). */
const isMessage = (m: unknown): m is JsonRpcMessage =>
  isJsonRpc(m) && (isRequest(m) || isNotification(m) || isResponse(m))

/**
 * Reads newline-delimited JSON-RPC messages from a child's stdout (the stdio transport's framing: one message a
 * line, `\r\n` tolerated). Each line is decoded once with JSON.parse and only its envelope checked; a chunk is
 * split in place, only a line spanning chunks is joined. A line that is not a JSON-RPC message (or is longer than
 * the SDK's bound) is logged, skipped and given whole to `onMalformed` (the SDK's ReadBuffer drops non-JSON
 * silently).
 */
export function readStdioMessages(
  stdout: Readable,
  label: string,
  logLine: (line: string) => void,
  onMessage: (message: JsonRpcMessage) => void,
  onMalformed: (line: string) => void = () => {},
): void {
  let head: Buffer[] = []
  let headBytes = 0
  let skipping = false
  const malformed = (line: string) => {
    logLine(
      `Upstream ${label} wrote a line that is not a JSON-RPC message; ignored: ${excerptOf(line)}`,
    )
    onMalformed(line)
  }
  const decode = (bytes: Buffer) => {
    const end = bytes.at(-1) === 0x0d ? bytes.length - 1 : bytes.length
    const line = bytes.toString('utf8', 0, end)
    if (!line.trim()) return
    let message: unknown
    try {
      message = JSON.parse(line)
    } catch {
      return malformed(line)
    }
    if (isMessage(message)) onMessage(message)
    else malformed(line)
  }

  stdout.on('data', (chunk: Buffer) => {
    let start = 0
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const tail = chunk.subarray(start, nl)
      start = nl + 1
      if (skipping) skipping = false
      else if (!head.length) decode(tail)
      else {
        const line = Buffer.concat([...head, tail], headBytes + tail.length)
        head = []
        headBytes = 0
        decode(line)
      }
    }
    if (start === chunk.length || skipping) return
    headBytes += chunk.length - start
    if (headBytes > STDIO_DEFAULT_MAX_BUFFER_SIZE) {
      head = []
      headBytes = 0
      skipping = true
      return malformed(`(a line longer than ${STDIO_DEFAULT_MAX_BUFFER_SIZE} bytes)`)
    }
    // A copy: a slice would keep the whole chunk alive while the line waits for its end.
    head.push(Buffer.from(chunk.subarray(start)))
  })
}

/** Where the relay writes its lines for a child: `write` queues one. */
export interface LineWriter {
  write(line: string): void
}

/**
 * Lines written to a child's stdin in one turn of the event loop leave in one write: one wake-up of the child
 * for many calls in flight, not one per call.
 */
export function batchLines(stdin: Writable): LineWriter {
  let queued: string[] = []
  const flush = () => {
    const lines = queued.length === 1 ? queued[0] : queued.join('')
    queued = []
    if (!stdin.destroyed) stdin.write(lines)
  }
  return {
    write(line) {
      if (!queued.length) setImmediate(flush)
      queued.push(line)
    },
  }
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
