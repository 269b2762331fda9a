import type { Readable } from 'node:stream'
import { ReadBuffer } from '@modelcontextprotocol/client'
import type { JsonRpcMessage } from './jsonRpcShapes'

/** Reads newline-delimited JSON-RPC messages from a child's stdout; a bad line is logged and skipped. */
export function readStdioMessages(
  stdout: Readable,
  label: string,
  logLine: (line: string) => void,
  onMessage: (message: JsonRpcMessage) => void,
): void {
  const buffer = new ReadBuffer()
  stdout.on('data', (chunk: Buffer) => {
    try {
      buffer.append(chunk)
    } catch (err) {
      logLine(`Upstream ${label}: ${(err as Error).message}`)
      return
    }
    for (;;) {
      let message: unknown
      try {
        message = buffer.readMessage()
      } catch {
        logLine(`Upstream ${label} wrote a line that is not a JSON-RPC message; ignored`)
        continue
      }
      if (message === null) break
      onMessage(message as JsonRpcMessage)
    }
  })
}
