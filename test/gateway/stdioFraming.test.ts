import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { idIn, readStdioMessages } from '../../src/main/gateway/stdioFraming'

describe('reading a stdio child’s stdout', () => {
  it('splits messages across and within chunks, and names every line that is not JSON-RPC', () => {
    const stdout = new PassThrough()
    const messages: unknown[] = []
    const malformed: string[] = []
    const logs: string[] = []
    readStdioMessages(
      stdout,
      'up',
      (l) => logs.push(l),
      (m) => messages.push(m),
      (l) => malformed.push(l),
    )
    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' }
    const text = `${JSON.stringify(ping)}\r\nServer started on :3000\n\n{"jsonrpc":"2.0","id":"wb-2","outcome":1}\n${JSON.stringify(ping)}\n`
    const bytes = Buffer.from(text)
    // Byte by byte: no message or line may depend on where a chunk ends.
    for (let i = 0; i < bytes.length; i++) stdout.write(bytes.subarray(i, i + 1))
    expect(messages).toEqual([ping, ping])
    expect(malformed).toEqual([
      'Server started on :3000',
      '{"jsonrpc":"2.0","id":"wb-2","outcome":1}',
    ])
    expect(logs[0]).toBe(
      'Upstream up wrote a line that is not a JSON-RPC message; ignored: Server started on :3000',
    )
    expect(idIn(malformed[1])).toBe('wb-2')
    expect(idIn(malformed[0])).toBeUndefined()
  })
})
