import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { WidgetCallResult } from '../../shared/contract'
import type { Workbench } from '../core'

export interface ResolvedIdentity {
  /** Bearer token to send; null for anonymous. */
  token: string | null
  label: string
}

/**
 * Calls a widget through the real server over loopback, as a client would, so the call shows in Requests.
 * A token refused at HTTP level comes back as `httpError` with the challenge, not as an exception.
 */
export async function callWidgetAs(workbench: Workbench, name: string, args: Record<string, unknown>, identity: ResolvedIdentity): Promise<WidgetCallResult> {
  let refused: WidgetCallResult['httpError'] = null
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init)
    if (response.status === 401 || response.status === 403) {
      refused = { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), body: await response.clone().text() }
    }
    return response
  }
  const headers: Record<string, string> = identity.token ? { Authorization: `Bearer ${identity.token}` } : {}
  const transport = new StreamableHTTPClientTransport(new URL(workbench.mcpUrl()), { requestInit: { headers }, fetch: recordingFetch })
  const client = new Client({ name: 'workbench-preview', version: '1.0.0' })
  const before = workbench.log.snapshot().at(-1)?.id ?? 0
  try {
    await client.connect(transport)
    const result = (await client.callTool({ name, arguments: args })) as WidgetCallResult['result']
    const event = workbench.log.snapshot().findLast((e) => e.id > before && e.rpcMethod === 'tools/call' && e.tool === name)
    return { result, httpError: null, eventId: event?.id ?? null, identityLabel: identity.label }
  } catch (err) {
    if (refused) {
      const event = workbench.log.snapshot().findLast((e) => e.id > before && e.status === (refused as { status: number }).status)
      return { result: { isError: true, content: [{ type: 'text', text: `HTTP ${(refused as { status: number }).status}` }] }, httpError: refused, eventId: event?.id ?? null, identityLabel: identity.label }
    }
    throw err
  } finally {
    await client.close().catch(() => {})
  }
}
