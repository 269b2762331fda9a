import { PassThrough, Writable } from 'node:stream'
import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/client'
import { describe, expect, it } from 'vitest'
import { createDeadlineSweep } from '../../src/main/gateway/deadlineSweep'
import { batchLines, readStdioMessages } from '../../src/main/gateway/stdioFraming'

const turn = () => new Promise((r) => setImmediate(r))

function recordingStream() {
  const writes: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk.toString())
      done()
    },
  })
  return { stream, writes }
}

describe('the stdio relay’s plumbing', () => {
  it('sends the lines written in one turn to the child in one write, and none to a child that has gone', async () => {
    const live = recordingStream()
    const lines = batchLines(live.stream)
    lines.write('a\n')
    lines.write('b\n')
    lines.write('c\n')
    await turn()
    lines.write('d\n')
    await turn()
    expect(live.writes).toEqual(['a\nb\nc\n', 'd\n'])
    const gone = recordingStream()
    const toGone = batchLines(gone.stream)
    toGone.write('lost\n')
    gone.stream.destroy()
    await turn()
    expect(gone.writes).toEqual([])
  })

  it('skips a line longer than the SDK’s bound, naming it, and reads the next one', () => {
    const stdout = new PassThrough()
    const messages: unknown[] = []
    const malformed: string[] = []
    readStdioMessages(
      stdout,
      'up',
      () => {},
      (m) => messages.push(m),
      (l) => malformed.push(l),
    )
    const huge = `{"jsonrpc":"2.0","id":1,"result":{"text":"${'x'.repeat(STDIO_DEFAULT_MAX_BUFFER_SIZE)}"}}`
    stdout.write(huge.slice(0, 1000))
    stdout.write(huge.slice(1000))
    stdout.write(
      '\n{"jsonrpc":"2.0","id":2,"result":{}}\r\n{"jsonrpc":"2.0","method":"notifications/x"}\n',
    )
    expect(malformed).toEqual([`(a line longer than ${STDIO_DEFAULT_MAX_BUFFER_SIZE} bytes)`])
    expect(messages).toEqual([
      { jsonrpc: '2.0', id: 2, result: {} },
      { jsonrpc: '2.0', method: 'notifications/x' },
    ])
  })

  it('expires the deadlines that were not cleared, with one sweep', async () => {
    const sweep = createDeadlineSweep(() => 10)
    const expired: string[] = []
    sweep.add(20, () => expired.push('late'))
    const clear = sweep.add(20, () => expired.push('answered'))
    clear()
    await new Promise((r) => setTimeout(r, 80))
    expect(expired).toEqual(['late'])
    sweep.stop()
  })
})
