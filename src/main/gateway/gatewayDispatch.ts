import type { IncomingMessage, ServerResponse } from 'node:http'
import type { UpstreamLegEvent } from '../../shared/gateway'
import type { AccessToken } from '../auth/accessToken'
import { authorizeWidgetCall } from '../auth/authorizeWidgetCall'
import { requestSource } from '../issuer/forwardedHeaders'
import { verifiedToken, type Exchange } from '../server/exchange'
import { replyJson } from './clientSink'
import type { Gateway } from './createGateway'
import type { Caller } from './identityToken'
import { modernRejection } from './modernEra'
import {
  isJsonRpc,
  isModernMessage,
  isRequest,
  paramsOf,
  type JsonRpcMessage,
} from './jsonRpcShapes'

/** The request pipeline's last step in gateway mode (authenticated; tools/call decided here). */
export interface GatewayDispatch {
  dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    exchange: Exchange,
  ): Promise<void>
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
  exchange: Exchange,
  resourceMetadataUrl: string,
): Promise<void> {
  const rejected = req.method === 'POST' ? modernRejection(req, body) : null
  if (rejected) {
    exchange.refusal = rejected.error
    return replyJson(res, rejected.status, rejected.reply)
  }
  const token = verifiedToken(exchange.authentication)
  let caller = callerOf(token)
  let stillAllowed: (() => Promise<boolean>) | undefined
  if (req.method === 'POST' && isJsonRpc(body) && isRequest(body) && body.method === 'tools/call') {
    const name = String(paramsOf(body).name ?? '')
    /** Decides the call on the tool's mode now; answers the client with the challenge when it may not run. */
    const decide = async (): Promise<boolean> => {
      const { tool, auth } = await gateway.toolAuth(name)
      const decision = authorizeWidgetCall(auth, token, resourceMetadataUrl)
      const reason = tool
        ? decision.reason
        : `${decision.reason}; the upstream does not list ${name}`
      exchange.authorization = {
        kind: 'upstream',
        tool: name,
        mode: auth.mode,
        decision: { ...decision, reason },
      }
      if (decision.run) {
        caller = callerOf(decision.token)
        return true
      }
      const reply = {
        jsonrpc: '2.0' as const,
        id: body.id,
        result: {
          content: [{ type: 'text' as const, text: decision.text }],
          isError: true,
          _meta: { 'mcp/www_authenticate': [decision.challenge] },
          ...(isModernMessage(body) ? { resultType: 'complete' as const } : {}),
        },
      }
      exchange.sent.push(reply)
      const session = req.headers['mcp-session-id']
      replyJson(res, 200, reply, typeof session === 'string' ? { 'mcp-session-id': session } : {})
      return false
    }
    if (!(await decide())) return
    // An upstream that restarted may declare the tool differently now: decided again before it is re-sent.
    stillAllowed = decide
  }
  const onLeg = (leg: UpstreamLegEvent, answer?: JsonRpcMessage) => {
    exchange.upstream = leg
    if (answer) exchange.sent.push(answer as unknown as Exchange['sent'][number])
    if (leg.error) exchange.failure = `upstream: ${leg.error}`
  }
  await gateway.relay({ req, res, body, caller, source: requestSource(req), onLeg, stillAllowed })
}
