import type { WorkbenchErrorCode } from '../../shared/errors'
import type { ForwardFailure } from './forwarder'

export interface TunnelErrorDescription {
  code: WorkbenchErrorCode
  /** ngrok's code when it gave one, else ours. */
  errorCode: string
  /** What happened and how to fix it, in one or two sentences. */
  message: string
}

const DASHBOARD_TOKEN = 'https://dashboard.ngrok.com/get-started/your-authtoken'

export const NO_AUTHTOKEN_MESSAGE =
  `ngrok needs an authtoken. Sign up (free) at https://dashboard.ngrok.com/signup, copy your authtoken from ${DASHBOARD_TOKEN}, ` +
  'and set it in the Tunnel panel or in the NGROK_AUTHTOKEN environment variable.'

/** Maps an ngrok failure to a plain-language reason with the fix. Never includes the authtoken. */
export function describeTunnelError(
  failure: ForwardFailure,
  context: { domain?: string | null; timeoutMs?: number } = {},
): TunnelErrorDescription {
  const code = failure.errorCode
  const domain = context.domain ? `"${context.domain}"` : 'The domain'
  const ngrok = (
    message: string,
    area: WorkbenchErrorCode = 'ERR_TUNNEL_FAILED',
  ): TunnelErrorDescription => ({ code: area, errorCode: code ?? area, message })
  switch (code) {
    case 'ERR_NGROK_4018':
      return ngrok(NO_AUTHTOKEN_MESSAGE, 'ERR_TUNNEL_AUTHTOKEN')
    case 'ERR_NGROK_105':
      return ngrok(
        `ngrok says the authtoken is malformed. Copy it again from ${DASHBOARD_TOKEN} (the whole token, nothing else) and set it again.`,
        'ERR_TUNNEL_AUTHTOKEN',
      )
    case 'ERR_NGROK_106':
    case 'ERR_NGROK_107':
      return ngrok(
        `ngrok rejected the authtoken: it was reset or revoked, or belongs to an account you left. Copy the current one from ${DASHBOARD_TOKEN} and set it again.`,
        'ERR_TUNNEL_AUTHTOKEN',
      )
    case 'ERR_NGROK_108':
      return ngrok(
        'Your ngrok account already has as many agent sessions online as its plan allows. Stop the other ngrok ' +
          'agent (another Workbench, or `ngrok http` in a terminal; see https://dashboard.ngrok.com/agents) ' +
          'and try again.',
      )
    case 'ERR_NGROK_334':
      return ngrok(
        `${domain} is already online in another ngrok session. Stop that session (https://dashboard.ngrok.com/endpoints) or start without a domain.`,
      )
    case 'ERR_NGROK_313':
    case 'ERR_NGROK_319':
    case 'ERR_NGROK_320':
    case 'ERR_NGROK_7117':
    case 'ERR_NGROK_7118':
      return ngrok(
        `${domain} is not reserved for this ngrok account. Reserve it at https://dashboard.ngrok.com/domains ` +
          `(the free plan includes one dev domain), use the authtoken of the account that owns it, or leave ` +
          `the domain empty for a random URL.`,
      )
  }
  if (code)
    return ngrok(
      `ngrok refused the tunnel (${code}): ${firstLine(failure.message)} See https://ngrok.com/docs/errors/${code.toLowerCase()}.`,
    )
  if (failure.timedOut) {
    return {
      code: 'ERR_TUNNEL_TIMEOUT',
      errorCode: 'ERR_TUNNEL_TIMEOUT',
      message:
        `ngrok did not answer within ${+((context.timeoutMs ?? 0) / 1000).toFixed(1)} s: something on the ` +
        `network accepts the connection but never replies (a proxy or firewall). Try another network, or use ` +
        `a custom public URL.`,
    }
  }
  const text = failure.message.toLowerCase()
  if (text.includes('tls handshake') || text.includes('certificate')) {
    return {
      code: 'ERR_TUNNEL_FAILED',
      errorCode: 'ERR_TUNNEL_TLS',
      message: failure.tlsPeerAnswered
        ? 'A proxy on this network intercepts TLS: the ngrok service presented a certificate ngrok does not ' +
          'trust. Ask your IT team to exempt connect.ngrok-agent.com, use another network, or use a custom public ' +
          'URL.'
        : 'The connection to ngrok was cut during the TLS handshake, usually by a proxy or firewall that inspects ' +
          'traffic. Ask your IT team to allow connect.ngrok-agent.com:443, use another network, or use a custom ' +
          'public URL.',
    }
  }
  if (/tcp connection|dns|resolve|connection refused|unreachable|network|timed out/.test(text)) {
    return {
      code: 'ERR_TUNNEL_FAILED',
      errorCode: 'ERR_TUNNEL_NETWORK',
      message:
        'Cannot reach the ngrok service (connect.ngrok-agent.com:443). Check the internet connection, VPN or firewall, then start the tunnel again.',
    }
  }
  return {
    code: 'ERR_TUNNEL_FAILED',
    errorCode: 'ERR_TUNNEL_FAILED',
    message: `The tunnel failed: ${firstLine(failure.message)}`,
  }
}

function firstLine(message: string): string {
  const line =
    message
      .replace(/\s*error_code: ERR_NGROK_\d+\s*$/, '')
      .split(/\r?\n/)[0]
      ?.trim() ?? ''
  return /[.!?]$/.test(line) ? line : `${line}.`
}
