import type { Client } from '@modelcontextprotocol/client'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Upstream } from '../../src/shared/config'
import { createClient } from '../support/workbenchFixture'
import { RAW_INITIALIZE, rawPost, serveGateway, type GatewayHarness } from './gatewayHarness'
import { eventually, makeGateway, type TestGateway } from './support'
import { RECORDING_SERVER, startHttpUpstream, type RunningUpstream } from './upstreamServers'

// Elicitation, completion, cancellation, progress and logging through the gateway, for both transports and
// both protocol eras, against the recording SDK v2 server (its `confirm`, `wait-for-cancel`, `slow` and `log`).

const LOG_LEVEL = 'io.modelcontextprotocol/logLevel'
type Era = 'legacy' | 'modern'
type Transport = 'http' | 'stdio'

let httpUpstream: RunningUpstream
beforeAll(async () => {
  httpUpstream = await startHttpUpstream('recording')
})
afterAll(() => httpUpstream.stop())

async function cancellations(client: Client): Promise<string[]> {
  const result = await client.callTool({ name: 'cancellations', arguments: {} })
  return (result.structuredContent as { tags: string[] }).tags
}

/** Reads an SSE response until `until` holds for one of its messages; the stream stays open. */
async function readUntil(
  response: Response,
  until: (message: Record<string, unknown>) => boolean,
): Promise<void> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`stream ended before the expected message: ${buffer}`)
    buffer += value
    const messages = buffer
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => JSON.parse(l.slice(5)) as Record<string, unknown>)
    if (messages.some(until)) return
  }
}

for (const transport of ['http', 'stdio'] as const satisfies Transport[]) {
  describe(`relays through the gateway to a ${transport} upstream`, () => {
    let t: TestGateway
    let front: GatewayHarness
    const clients: Client[] = []

    beforeAll(async () => {
      const target: NonNullable<Upstream> =
        transport === 'http'
          ? { url: httpUpstream.url }
          : { command: process.execPath, args: [RECORDING_SERVER, '--stdio'], env: {} }
      // A long upstream timeout: a cancellation seen upstream is the client's, never the gateway's own.
      t = await makeGateway(target, { widgets: {} }, 60_000)
      front = await serveGateway(t.gateway)
    })
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => {})))
      await front.close()
      await t.gateway.close()
    })

    async function connect(era: Era): Promise<Client> {
      const client = createClient(era, { capabilities: { elicitation: {} } })
      await client.connect(new StreamableHTTPClientTransport(new URL(front.url)))
      clients.push(client)
      return client
    }

    for (const era of ['legacy', 'modern'] as const satisfies Era[]) {
      it(`${era}: completion/complete reaches the upstream and its values come back`, async () => {
        const client = await connect(era)
        const { completion } = await client.complete({
          ref: { type: 'ref/prompt', name: 'greet' },
          argument: { name: 'name', value: 'Al' },
        })
        expect(completion.values).toEqual(['Alice', 'Alan'])
      })

      it(`${era}: progress notifications reach the client as they stream`, async () => {
        const client = await connect(era)
        const progress: number[] = []
        const result = await client.callTool(
          { name: 'slow', arguments: { ms: 30 } },
          { onprogress: (p) => progress.push(p.progress) },
        )
        expect(progress).toEqual([1, 2, 3])
        expect(result.content).toEqual([{ type: 'text', text: 'waited 30' }])
      })

      it(`${era}: a call the client abandons is cancelled upstream (the handler sees the abort)`, async () => {
        const client = await connect(era)
        const tag = `${transport}-${era}-abandoned`
        const abort = new AbortController()
        let started!: () => void
        const running = new Promise<void>((resolve) => (started = resolve))
        const call = client
          .callTool(
            { name: 'wait-for-cancel', arguments: { tag } },
            { signal: abort.signal, onprogress: () => started() },
          )
          .catch((err: Error) => err)
        await running
        abort.abort(new Error('the user stopped it'))
        expect(await call).toBeInstanceOf(Error)
        await eventually(async () => (await cancellations(client)).includes(tag))
      })

      it(`${era}: a declined elicitation reaches the upstream as declined`, async () => {
        const client = await connect(era)
        client.setRequestHandler('elicitation/create', () => ({ action: 'decline' }))
        const result = await client.callTool({ name: 'confirm', arguments: {} })
        expect(result.content).toEqual([{ type: 'text', text: 'declined' }])
      })
    }

    it('legacy: elicitation/create from the upstream reaches the client and its answer the upstream', async () => {
      const client = await connect('legacy')
      const asked: unknown[] = []
      client.setRequestHandler('elicitation/create', (request) => {
        asked.push(request.params)
        return { action: 'accept', content: { answer: `yes via ${transport}` } }
      })
      const result = await client.callTool({ name: 'confirm', arguments: {} })
      expect(asked).toEqual([
        expect.objectContaining({ message: 'Go ahead?', requestedSchema: expect.any(Object) }),
      ])
      expect(result.content).toEqual([{ type: 'text', text: `confirmed: yes via ${transport}` }])
    })

    it('legacy: notifications/cancelled from the client reaches the upstream while the stream stays open', async () => {
      const init = await rawPost(front.url, RAW_INITIALIZE)
      const headers = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
        ...(init.headers.get('mcp-session-id')
          ? { 'mcp-session-id': init.headers.get('mcp-session-id')! }
          : {}),
      }
      const post = (message: unknown, signal?: AbortSignal) =>
        fetch(front.url, { method: 'POST', headers, body: JSON.stringify(message), signal })
      await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).text()
      const tag = `${transport}-legacy-notified`
      const open = new AbortController()
      const call = await post(
        {
          jsonrpc: '2.0',
          id: 'call-7',
          method: 'tools/call',
          params: { name: 'wait-for-cancel', arguments: { tag }, _meta: { progressToken: 'p7' } },
        },
        open.signal,
      )
      await readUntil(call, (m) => m.method === 'notifications/progress')
      const note = await post({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: 'call-7', reason: 'changed my mind' },
      })
      expect(note.status).toBe(202)
      const client = await connect('legacy')
      await eventually(async () => (await cancellations(client)).includes(tag))
      open.abort()
    })

    it('legacy: logging messages from the upstream reach the client', async () => {
      const client = await connect('legacy')
      const logs: unknown[] = []
      client.setNotificationHandler('notifications/message', (n) => void logs.push(n.params))
      await client.callTool({ name: 'log', arguments: {} })
      await eventually(() => logs.length > 0)
      expect(logs[0]).toMatchObject({ level: 'info', data: { hello: 'world' } })
    })

    // HTTP: the upstream answers input-required itself and the retry is relayed like any call. stdio: the
    // child (2025 era) sends elicitation/create; the gateway turns it into input-required and the retry's
    // answer back into the child's response.
    it('modern: elicitation as an input-required result reaches the client, and its retry the upstream', async () => {
      const client = await connect('modern')
      const asked: unknown[] = []
      client.setRequestHandler('elicitation/create', (request) => {
        asked.push(request.params)
        return { action: 'accept', content: { answer: `yes, modern ${transport}` } }
      })
      const result = await client.callTool({ name: 'confirm', arguments: {} })
      expect(asked).toEqual([expect.objectContaining({ message: 'Go ahead?' })])
      expect(result.content).toEqual([
        { type: 'text', text: `confirmed: yes, modern ${transport}` },
      ])
    })

    it('modern: logging messages a request asks for (log level in _meta) reach the client', async () => {
      const client = await connect('modern')
      const logs: unknown[] = []
      client.setNotificationHandler('notifications/message', (n) => void logs.push(n.params))
      // Messages ride the call's own stream, before its result: none came for a call asking only for errors.
      await client.callTool({ name: 'log', arguments: {}, _meta: { [LOG_LEVEL]: 'error' } })
      expect(logs).toEqual([])
      await client.callTool({ name: 'log', arguments: {}, _meta: { [LOG_LEVEL]: 'info' } })
      await eventually(() => logs.length > 0)
      expect(logs[0]).toMatchObject({ level: 'info', data: { hello: 'world' } })
    })

    it("modern: list changes reach a subscriptions/listen stream, the upstream's and the Workbench's own", async () => {
      const client = await connect('modern')
      let changed = 0
      client.setNotificationHandler('notifications/tools/list_changed', () => void changed++)
      const subscription = await client.listen({ toolsListChanged: true, promptsListChanged: true })
      // The fixture declares listChanged for tools only: prompts are not honored.
      expect(subscription.honoredFilter).toEqual({ toolsListChanged: true })
      await client.callTool({ name: 'add-tool', arguments: {} })
      await eventually(() => changed >= 1)
      const fromUpstream = changed
      t.gateway.notifyToolsChanged()
      await eventually(() => changed > fromUpstream)
      await subscription.close()
    })

    if (transport === 'stdio') {
      it('modern: a sampling request from the stdio child reaches the client as input-required', async () => {
        const client = createClient('modern', { capabilities: { sampling: {} } })
        await client.connect(new StreamableHTTPClientTransport(new URL(front.url)))
        clients.push(client)
        client.setRequestHandler('sampling/createMessage', () => ({
          role: 'assistant',
          content: { type: 'text', text: 'pong' },
          model: 'test',
        }))
        const result = await client.callTool({ name: 'sample', arguments: {} })
        expect(result.content).toEqual([{ type: 'text', text: 'sampled: pong' }])
      })
    }
  })
}
