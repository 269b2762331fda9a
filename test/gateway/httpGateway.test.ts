import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IDENTITY_TTL_SEC } from '../../src/main/gateway/identityToken'
import {
  connectClient,
  RAW_INITIALIZE,
  rawPost,
  serveGateway,
  type GatewayHarness,
} from './gatewayHarness'
import { eventually, makeGateway, WORKBENCH_ISSUER, type TestGateway } from './support'
import { startHttpUpstream, type RunningUpstream } from './upstreamServers'

const ALICE = { subject: 'dev|alice', scopes: ['user', 'read:data'], clientId: 'client-1' }

async function rawSession(url: string): Promise<Record<string, string>> {
  const init = await rawPost(url, RAW_INITIALIZE)
  const session = init.headers.get('mcp-session-id')
  const headers: Record<string, string> = session ? { 'mcp-session-id': session } : {}
  await rawPost(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)
  return headers
}

describe('gateway to a Streamable HTTP upstream (recording SDK v2 server)', () => {
  let upstream: RunningUpstream
  let t: TestGateway
  let front: GatewayHarness
  const recorded = async () =>
    (await (await fetch(upstream.url.replace('/mcp', '/recorded'))).json()) as {
      headers: Record<string, string>
    }[]

  beforeAll(async () => {
    upstream = await startHttpUpstream('recording')
    t = await makeGateway(
      { url: upstream.url },
      { widgets: { echo: { auth: 'required', scopes: ['user'] } } },
    )
    front = await serveGateway(t.gateway)
  })
  afterAll(async () => {
    await front.close()
    await t.gateway.close()
    await upstream.stop()
  })

  it('lists the upstream tools with mode-driven securitySchemes and every other field unchanged', async () => {
    const headers = await rawSession(front.url)
    const direct = await rawPost(
      upstream.url,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      await rawSession(upstream.url),
    )
    const via = await rawPost(front.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, headers)
    const directTools = (direct.messages[0].result as { tools: Record<string, unknown>[] }).tools
    const viaTools = (via.messages[0].result as { tools: Record<string, unknown>[] }).tools
    const byName = (list: Record<string, unknown>[], name: string) =>
      list.find((x) => x.name === name) as Record<string, unknown>
    expect(byName(viaTools, 'echo').securitySchemes).toEqual([{ type: 'oauth2', scopes: ['user'] }])
    expect(byName(viaTools, 'mixed').securitySchemes).toEqual([
      { type: 'noauth' },
      { type: 'oauth2', scopes: ['read:data'] },
    ])
    expect(byName(viaTools, 'whoami')._meta).toEqual({
      securitySchemes: [{ type: 'oauth2', scopes: ['user'] }],
    })
    const app = byName(viaTools, 'show-app')
    const { securitySchemes, _meta, ...rest } = app as {
      securitySchemes: unknown
      _meta: Record<string, unknown>
      [k: string]: unknown
    }
    const { securitySchemes: metaSchemes, ...metaRest } = _meta
    expect(securitySchemes).toEqual([{ type: 'oauth2', scopes: [] }])
    expect(metaSchemes).toEqual(securitySchemes)
    const { _meta: upstreamMeta, ...upstreamRest } = byName(directTools, 'show-app')
    expect(rest).toEqual(upstreamRest)
    expect(rest['x-custom']).toEqual({ kept: true })
    expect(metaRest).toEqual(upstreamMeta)
  })

  it('maps upstream securitySchemes to default modes, overridable by widgets.<name>', async () => {
    await t.gateway.refreshTools()
    const modes = Object.fromEntries(
      t.gateway
        .toolSummaries()
        .map((s) => [
          s.name,
          [s.declaredMode, s.effectiveMode, s.effectiveScopes, s.warning !== null],
        ]),
    )
    expect(modes.whoami).toEqual(['required', 'required', ['user'], false])
    expect(modes.mixed).toEqual(['optional', 'optional', ['read:data'], false])
    expect(modes.echo).toEqual(['none', 'required', ['user'], false])
    expect(modes['show-app']).toEqual(['inherit', 'required', [], false])
    t.setConfig({ widgets: { 'admin-only': { auth: 'none' } } })
    const admin = t.gateway.toolSummaries().find((s) => s.name === 'admin-only')
    expect(admin).toMatchObject({ declaredMode: 'required', effectiveMode: 'none' })
    expect(admin?.warning).toMatch(/more permissive|get through/)
    t.setConfig({ widgets: { echo: { auth: 'required', scopes: ['user'] } } })
  })

  it('forwards a signed identity, never the client Authorization header', async () => {
    front.caller = ALICE
    const client = await connectClient(front.url)
    const result = (await client.callTool({ name: 'whoami', arguments: {} })) as {
      structuredContent: { headers: Record<string, string>; meta: Record<string, string> }
    }
    await client.close()
    front.caller = null
    const { headers, meta } = result.structuredContent
    expect(headers.authorization).toBeUndefined()
    const token = headers['x-workbench-identity']
    expect(meta['workbench/identity']).toBe(token)
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createLocalJWKSet(t.signer.jwks()),
      { issuer: WORKBENCH_ISSUER, audience: upstream.url },
    )
    expect(payload).toMatchObject({
      sub: 'dev|alice',
      scope: 'user read:data',
      client_id: 'client-1',
    })
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(IDENTITY_TTL_SEC)
    expect(protectedHeader.alg).toBe('ES256')
  })

  it('drops a client-sent Authorization, cookie and forged identity; anonymous calls carry none', async () => {
    const forged = {
      authorization: 'Bearer the-clients-secret-token',
      cookie: 'sid=secret',
      'x-workbench-identity': 'forged',
    }
    const headers = { ...(await rawSession(front.url)), ...forged }
    const call = {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'whoami', arguments: {}, _meta: { 'workbench/identity': 'forged' } },
    }
    const { messages } = await rawPost(front.url, call, headers)
    const seen = (
      messages[0].result as {
        structuredContent: { headers: Record<string, string>; meta: Record<string, unknown> }
      }
    ).structuredContent
    expect(seen.headers['x-workbench-identity']).toBeUndefined()
    expect(seen.meta).toEqual({})
    const everything = JSON.stringify(await recorded())
    expect(everything).not.toContain('the-clients-secret-token')
    expect(everything).not.toContain('sid=secret')
  })

  it('re-initializes transparently when the upstream forgets the session (404)', async () => {
    const client = await connectClient(front.url)
    await client.callTool({ name: 'echo', arguments: { text: 'before' } })
    await fetch(upstream.url.replace('/mcp', '/drop-sessions'))
    const after = await client.callTool({ name: 'echo', arguments: { text: 'after' } })
    expect(after.content).toEqual([{ type: 'text', text: 'after' }])
    await client.close()
  })

  it('closes the upstream GET stream when its client goes', async () => {
    const openStreams = async () =>
      Number(await (await fetch(upstream.url.replace('/mcp', '/open-streams'))).text())
    const before = await openStreams()
    const client = await connectClient(front.url)
    await eventually(async () => (await openStreams()) === before + 1)
    await client.close()
    await eventually(async () => (await openStreams()) === before)
  })

  it('relays progress notifications as they stream', async () => {
    const client = await connectClient(front.url)
    const progress: number[] = []
    const result = await client.callTool(
      { name: 'slow', arguments: { ms: 60 } },
      { onprogress: (p) => progress.push(p.progress) },
    )
    expect(progress).toEqual([1, 2, 3])
    expect(result.content).toEqual([{ type: 'text', text: 'waited 60' }])
    await client.close()
  })

  it('relays sampling requests from the upstream to the client and back', async () => {
    const client = await connectClient(front.url, { sampling: {} })
    client.setRequestHandler('sampling/createMessage', () => ({
      role: 'assistant',
      content: { type: 'text', text: 'pong' },
      model: 'test',
    }))
    const result = await client.callTool({ name: 'sample', arguments: {} })
    expect(result.content).toEqual([{ type: 'text', text: 'sampled: pong' }])
    await client.close()
  })

  it('finds a tool added upstream after the list was read (tool list changed mid-session)', async () => {
    const client = await connectClient(front.url)
    await client.callTool({ name: 'add-tool', arguments: {} })
    const { tool } = await t.gateway.toolAuth('late-1')
    expect(tool?.name).toBe('late-1')
    await client.close()
  })
})

describe('upstream failures become clear errors and the gateway keeps serving', () => {
  let bad: Server
  let badUrl: string
  let mode: 'status500' | 'notJson' | 'notRpc' | 'hang' = 'status500'
  beforeAll(async () => {
    bad = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        if (mode === 'status500') return void res.writeHead(500).end('database on fire')
        if (mode === 'hang') return
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' })
        res.end(mode === 'notJson' ? '<html>oops' : JSON.stringify({ hello: 'world' }))
      })
    })
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r))
    badUrl = `http://127.0.0.1:${(bad.address() as AddressInfo).port}/mcp`
  })
  afterAll(() => {
    bad.closeAllConnections()
    bad.close()
  })

  const call = { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'x', arguments: {} } }
  const text = (m: Record<string, unknown>) =>
    (m.result as { content: { text: string }[] }).content[0].text

  it('names the upstream and the cause for 5xx, non-JSON, non-JSON-RPC, timeouts and refused connections', async () => {
    const t = await makeGateway({ url: badUrl }, {}, 800)
    const front = await serveGateway(t.gateway)
    for (const [m, cause] of [
      ['status500', /HTTP 500: database on fire/],
      ['notJson', /not JSON/],
      ['notRpc', /not a JSON-RPC/],
      ['hang', /no answer to tools\/call within 800 ms/],
    ] as const) {
      mode = m
      const { messages } = await rawPost(front.url, call)
      expect(messages[0].result).toMatchObject({ isError: true })
      expect(text(messages[0])).toContain(`Upstream ${badUrl}`)
      expect(text(messages[0])).toMatch(cause)
    }
    const list = await rawPost(front.url, { jsonrpc: '2.0', id: 10, method: 'resources/list' })
    expect(list.messages[0].error).toMatchObject({ code: -32603, data: { upstream: badUrl } })
    expect(t.gateway.status()).toMatchObject({ state: 'failed', target: badUrl })
    await front.close()
    await t.gateway.close()
  })

  it('reports a refused connection naming the upstream, on the request and its upstream leg', async () => {
    const upstream = await startHttpUpstream('recording')
    await upstream.stop()
    const t = await makeGateway({ url: upstream.url })
    const front = await serveGateway(t.gateway)
    const { messages } = await rawPost(front.url, {
      ...call,
      params: { name: 'echo', arguments: { text: 'hi' } },
    })
    expect(text(messages[0])).toMatch(/unreachable \(ECONNREFUSED/)
    expect(front.legs.at(-1)).toMatchObject({
      error: expect.stringMatching(/ECONNREFUSED/),
      target: upstream.url,
    })
    await front.close()
    await t.gateway.close()
  })
})

describe('gateway to the real MCP Apps servers over HTTP', () => {
  for (const kind of ['vanillajs', 'react'] as const) {
    it(`${kind}: lists get-time with injected securitySchemes and serves the template byte-identical`, async () => {
      const upstream = await startHttpUpstream(kind)
      const t = await makeGateway(
        { url: upstream.url },
        { widgets: { 'get-time': { auth: 'required', scopes: ['user'] } } },
      )
      const front = await serveGateway(t.gateway)
      try {
        const client = await connectClient(front.url)
        const { tools } = await client.listTools()
        const getTime = tools.find((x) => x.name === 'get-time') as Record<string, unknown> & {
          _meta: Record<string, unknown>
        }
        expect(getTime._meta.securitySchemes).toEqual([{ type: 'oauth2', scopes: ['user'] }])
        const uri = (getTime._meta.ui as { resourceUri: string }).resourceUri
        const via = await client.readResource({ uri })
        const directClient = await connectClient(upstream.url)
        const direct = await directClient.readResource({ uri })
        expect(via.contents[0].mimeType).toBe('text/html;profile=mcp-app')
        expect((via.contents[0] as { text: string }).text).toBe(
          (direct.contents[0] as { text: string }).text,
        )
        expect((via.contents[0] as { text: string }).text.length).toBeGreaterThan(1000)
        await eventually(() => t.gateway.tools().some((x) => x.name === 'get-time' && x.isWidget))
        await client.close()
        await directClient.close()
      } finally {
        await front.close()
        await t.gateway.close()
        await upstream.stop()
      }
    })
  }
})
