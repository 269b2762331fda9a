import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { curlCommand } from '../../../src/renderer/src/store/curlCommand'
import { requestEvent } from '../fixtures'

const headers = {
  host: '127.0.0.1:8001',
  authorization: 'Bearer [redacted sha256:70980e83]',
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-session-id': 'abc',
  'user-agent': 'node',
}
const body = {
  jsonrpc: '2.0',
  id: 3,
  method: 'tools/call',
  params: { name: 'w', arguments: { message: "it's" } },
}

/** The words a POSIX shell makes of the command, with TOKEN set as a user would set it. */
function shellWords(command: string): string[] {
  const script = `TOKEN=tok-123; set -- ${command}; printf '%s\\n' "$@"`
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trimEnd().split('\n')
}

describe('curlCommand', () => {
  it('sends the same method, URL, MCP headers and body, with the token as $TOKEN', () => {
    const event = requestEvent({ requestHeaders: headers, requestBody: body })
    const command = curlCommand(event, 'http://127.0.0.1:8001')
    expect(command).toContain('$TOKEN')
    expect(command).not.toContain('redacted')
    expect(shellWords(command)).toEqual([
      'curl',
      'http://127.0.0.1:8001/mcp',
      '-H',
      'content-type: application/json',
      '-H',
      'accept: application/json, text/event-stream',
      '-H',
      'mcp-session-id: abc',
      '-H',
      'Authorization: Bearer tok-123',
      '--data-raw',
      JSON.stringify(body),
    ])
  })

  it('leaves Authorization out when the request had none, and names the method of a bodiless request', () => {
    const event = requestEvent({
      method: 'GET',
      path: '/.well-known/oauth-protected-resource',
      requestHeaders: { accept: '*/*' },
    })
    expect(shellWords(curlCommand(event, 'https://abc.ngrok.app'))).toEqual([
      'curl',
      '-X',
      'GET',
      'https://abc.ngrok.app/.well-known/oauth-protected-resource',
      '-H',
      'accept: */*',
    ])
  })
})
