import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Verdict } from '../../shared/events'
import type { UpstreamLegEvent } from '../../shared/gateway'
import type { AccessToken } from '../auth/accessToken'
import { authorizeWidgetCall } from '../auth/authorizeWidgetCall'
import type { EffectiveMode } from '../widgets/widgetAuth'
import { replyJson } from './clientSink'
import type { Gateway } from './createGateway'
import type { Caller } from './identityToken'
import { isJsonRpc, isRequest, paramsOf } from './jsonRpcShapes'

/** What the request pipeline knows before dispatch, and what the gateway tells it back for the log. */
export interface GatewayRequestState {
  token: AccessToken | null
  tool: string | null
  widgetMode: EffectiveMode | null
  verdict: Verdict | null
  reason: string | null
  upstream: UpstreamLegEvent | null
}

const callerOf = (token: AccessToken | null): Caller | null =>
  token ? { subject: token.subject, scopes: token.scopes, clientId: token.clientId } : null

/**
 * Dispatches one authenticated /mcp request in gateway mode. A tools/call gets the same per-widget decision as a
 * local widget (challenge, step-up) before anything reaches the upstream; everything else is relayed.
 */
export async function dispatchToGateway(
  gateway: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  state: GatewayRequestState,
  resourceMetadataUrl: string,
): Promise<void> {
  let caller = callerOf(state.token)
  if (req.method === 'POST' && isJsonRpc(body) && isRequest(body) && body.method === 'tools/call') {
    const name = String(paramsOf(body).name ?? '')
    const { tool, auth } = await gateway.toolAuth(name)
    state.tool = name
    state.widgetMode = auth.mode
    const decision = authorizeWidgetCall(auth, state.token, resourceMetadataUrl)
    state.verdict = decision.verdict
    state.reason = tool ? decision.reason : `${decision.reason}; the upstream does not list ${name}`
    if (!decision.run) {
      const session = req.headers['mcp-session-id']
      replyJson(
        res,
        200,
        {
          jsonrpc: '2.0',
          id: body.id,
          result: {
            content: [{ type: 'text', text: decision.text }],
            isError: true,
            _meta: { 'mcp/www_authenticate': [decision.challenge] },
          },
        },
        typeof session === 'string' ? { 'mcp-session-id': session } : {},
      )
      return
    }
    caller = callerOf(decision.token)
  }
  const onLeg = (leg: UpstreamLegEvent) => {
    state.upstream = leg
    if (!leg.error) return
    state.verdict = 'error'
    state.reason = `${state.reason ? `${state.reason}; ` : ''}upstream: ${leg.error}`
  }
  await gateway.relay({ req, res, body, caller, onLeg })
}
