import type { Readable } from 'node:stream'
import { isJsonRpc, type JsonRpcMessage } from './jsonRpcShapes'

/** Longest line kept while waiting for its newline, as the SDK's ReadBuffer bounds it (10 MiB). */
export const MAX_STDIO_LINE_BYTES = 10 * 1024 * 1024

/**
 * Reads newline-delimited JSON-RPC messages from a child's stdout (the stdio transport's framing: one message a
 * line, `\r\n` tolerated). Each line is decoded once with JSON.parse and only its envelope checked, the rest is
 * relayed as is; a chunk is split in place, only a line spanning chunks is joined. A line that is not JSON, not
 * JSON-RPC or longer than the bound is logged and skipped.
 */
export function readStdioMessages(
  stdout: Readable,
  label: string,
  logLine: (line: string) => void,
  onMessage: (message: JsonRpcMessage) => void,
): void {
  let head: Buffer[] = []
  let headBytes = 0
  let skipping = false

  const decode = (bytes: Buffer) => {
    const end = bytes.at(-1) === 0x0d ? bytes.length - 1 : bytes.length
    const text = bytes.toString('utf8', 0, end)
    if (!text) return
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      return logLine(`Upstream ${label} wrote a line that is not JSON; ignored`)
    }
    if (!isJsonRpc(message))
      return logLine(`Upstream ${label} wrote a line that is not a JSON-RPC message; ignored`)
    onMessage(message)
  }

  stdout.on('data', (chunk: Buffer) => {
    let start = 0
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const tail = chunk.subarray(start, nl)
      start = nl + 1
      if (skipping) {
        skipping = false
        continue
      }
      if (!head.length) {
        decode(tail)
        continue
      }
      const line = Buffer.concat([...head, tail], headBytes + tail.length)
      head = []
      headBytes = 0
      decode(line)
    }
    if (start === chunk.length || skipping) return
    headBytes += chunk.length - start
    if (headBytes > MAX_STDIO_LINE_BYTES) {
      logLine(`Upstream ${label} wrote a line over ${MAX_STDIO_LINE_BYTES} bytes; skipped`)
      head = []
      headBytes = 0
      skipping = true
      return
    }
    // A copy: a slice would keep the whole chunk alive while the line waits.
    head.push(Buffer.from(chunk.subarray(start)))
  })
}
