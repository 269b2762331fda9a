import {
  IssuerMismatchError,
  validateAuthorizationResponseIssuer,
} from '@modelcontextprotocol/client'
import type { OAuthDiscoveryState } from '@modelcontextprotocol/client'
import { WorkbenchError } from '../../shared/errors'
import type { AuthorizationResponse } from './loopbackRedirect'

const fail = (message: string) => new WorkbenchError('ERR_CONNECT_FAILED', message)

/**
 * Checks what came back to the redirect URI: the state first (CSRF), then RFC 9207 `iss` (before an
 * error is believed: a mixed-up server's error is not this server's), then the error or the code.
 */
export function checkAuthorizationResponse(
  response: AuthorizationResponse,
  state: string,
  discovery: OAuthDiscoveryState | undefined,
): string {
  if (response.state !== state) {
    throw fail(
      'The redirect carried another state value: it does not answer this sign-in (possible CSRF).',
    )
  }
  const metadata = discovery?.authorizationServerMetadata
  const advertised = metadata?.authorization_response_iss_parameter_supported === true
  try {
    validateAuthorizationResponseIssuer({
      iss: response.iss ?? undefined,
      expectedIssuer: metadata?.issuer,
      issParameterSupported: advertised,
    })
  } catch (err) {
    if (!(err instanceof IssuerMismatchError)) throw err
    throw fail(
      response.iss === null
        ? 'The authorization server promises an "iss" parameter in the redirect (RFC 9207) but sent none: ' +
            'the response was refused as a possible mix-up.'
        : `The redirect names another issuer than "${metadata?.issuer ?? 'the one discovered'}" ` +
            '(RFC 9207 mix-up defence): the response was refused.',
    )
  }
  if (response.error) {
    const detail = response.errorDescription ? ` (${response.errorDescription})` : ''
    throw fail(`The authorization server refused: ${response.error}${detail}.`)
  }
  if (!response.code) throw fail('The redirect carried no authorization code.')
  return response.code
}
