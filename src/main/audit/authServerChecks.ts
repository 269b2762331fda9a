import { buildDiscoveryUrls } from '@modelcontextprotocol/client'
import type { AuditContext } from './auditContext'
import { isJsonObject } from '../../shared/jsonObject'

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []

/**
 * The authorization server's metadata, fetched in the order clients try it, and what ChatGPT needs
 * of it.
 */
export async function checkAuthorizationServer(ctx: AuditContext): Promise<void> {
  const issuer = ctx.facts.authorizationServer
  if (!issuer) return

  await ctx.check(
    {
      id: 'as.metadata',
      group: 'authServer',
      title: 'Authorization server metadata (RFC 8414 / OIDC) is found',
    },
    async () => {
      const tried: string[] = []
      for (const { url, type } of buildDiscoveryUrls(issuer)) {
        tried.push(url.href)
        const response = await ctx.wire
          .fetch(url, { headers: { accept: 'application/json' } })
          .catch(() => null)
        if (!response?.ok) continue
        const json: unknown = await response.json().catch(() => null)
        if (isJsonObject(json)) {
          ctx.facts.asMetadata = json
          return {
            status: 'pass',
            summary:
              `Found the ${type === 'oauth' ? 'RFC 8414' : 'OpenID Connect'} document at ` +
              `${url.href} (try ${tried.length} of ${buildDiscoveryUrls(issuer).length}).`,
            chatgpt:
              'ChatGPT tries these URLs in the same order and uses the first document found.',
          }
        }
      }
      return {
        status: 'fail',
        summary: `No metadata at ${tried.join(', ')}.`,
        fix: `Publish the authorization server's metadata at ${tried[0]} (or the OIDC equivalent).`,
        chatgpt: 'ChatGPT cannot sign in: it does not know the authorization and token endpoints.',
      }
    },
  )
  const metadata = ctx.facts.asMetadata
  if (!metadata) return

  await ctx.check(
    {
      id: 'as.issuer',
      group: 'authServer',
      title: 'The issuer in its metadata equals the authorization server URL exactly',
    },
    async () => {
      const published = metadata.issuer
      if (published === issuer)
        return {
          status: 'pass',
          summary: `issuer is "${issuer}", as listed in the protected-resource metadata.`,
        }
      const slash =
        typeof published === 'string' && published.replace(/\/$/, '') === issuer.replace(/\/$/, '')
      return {
        status: 'fail',
        summary:
          `The metadata's issuer is ${JSON.stringify(published)} but ` +
          `authorization_servers lists ` +
          `"${issuer}"${slash ? ': they differ only by the trailing slash' : ''}.`,
        fix: slash
          ? `List the issuer exactly as the authorization server publishes it ` +
            `(${JSON.stringify(published)}, slash included) and compare iss in tokens without ` +
            `normalising.`
          : `List the authorization server's own issuer identifier ` +
            `(${JSON.stringify(published)}) in authorization_servers.`,
        chatgpt:
          'ChatGPT and spec clients compare the issuer as an exact string (RFC 8414 §3.3, RFC ' +
          '9207) and stop when it differs.',
      }
    },
  )

  await ctx.check(
    { id: 'as.pkce', group: 'authServer', title: 'PKCE with S256 is advertised' },
    async () => {
      const methods = strings(metadata.code_challenge_methods_supported)
      if (methods.includes('S256'))
        return {
          status: 'pass',
          summary: `code_challenge_methods_supported: ${methods.join(', ')}.`,
        }
      return {
        status: 'fail',
        summary: methods.length
          ? `code_challenge_methods_supported lists ${methods.join(', ')} but not S256.`
          : 'code_challenge_methods_supported is missing.',
        fix: 'Advertise code_challenge_methods_supported: ["S256"] (and support it).',
        chatgpt:
          'ChatGPT refuses to sign in with an authorization server that does not advertise S256.',
      }
    },
  )

  const cimd = metadata.client_id_metadata_document_supported === true
  const dcr = typeof metadata.registration_endpoint === 'string'
  await ctx.check(
    {
      id: 'as.registration',
      group: 'authServer',
      title: 'ChatGPT can register (CIMD or dynamic registration)',
    },
    async () => {
      if (cimd)
        return {
          status: 'pass',
          summary:
            `Client ID Metadata Documents ` +
            `supported${dcr ? '; dynamic registration too' : ''}.`,
          chatgpt: 'ChatGPT uses its CIMD client_id (https://chatgpt.com/oauth/…/client.json).',
        }
      if (dcr)
        return {
          status: 'pass',
          summary:
            `Dynamic client registration at ${metadata.registration_endpoint as string} ` +
            `(no CIMD).`,
          chatgpt: 'ChatGPT registers once per connection through the registration endpoint.',
        }
      return {
        status: 'warn',
        summary: 'Neither client_id_metadata_document_supported nor a registration_endpoint.',
        fix:
          'Enable Client ID Metadata Documents (or dynamic registration), or give users a ' +
          'pre-registered client ID to enter in ChatGPT.',
        chatgpt: 'ChatGPT can only sign in with a client registered beforehand.',
      }
    },
  )

  await ctx.check(
    {
      id: 'as.iss-parameter',
      group: 'authServer',
      title: 'Issuer identification in redirects (RFC 9207)',
    },
    async () => {
      if (metadata.authorization_response_iss_parameter_supported === true)
        return {
          status: 'pass',
          summary: 'authorization_response_iss_parameter_supported: true.',
          chatgpt: 'ChatGPT uses its stable redirect URI and client.json, and checks iss exactly.',
        }
      return {
        status: 'warn',
        summary: 'authorization_response_iss_parameter_supported is not true.',
        fix:
          'Return iss on every authorization response and advertise ' +
          'authorization_response_iss_parameter_supported: true.',
        chatgpt: 'ChatGPT falls back to a per-connection callback URL and client ID.',
      }
    },
  )

  await ctx.check(
    {
      id: 'as.token-auth',
      group: 'authServer',
      title: "Token endpoint accepts ChatGPT's client authentication",
    },
    async () => {
      const methods = strings(metadata.token_endpoint_auth_methods_supported)
      if (!cimd)
        return {
          status: 'pass',
          summary: methods.length
            ? `token_endpoint_auth_methods_supported: ${methods.join(', ')}.`
            : 'No CIMD: the method comes from registration.',
        }
      if (methods.includes('none') || methods.includes('private_key_jwt'))
        return {
          status: 'pass',
          summary: `token_endpoint_auth_methods_supported: ${methods.join(', ')}.`,
        }
      return {
        status: 'fail',
        summary: methods.length
          ? `Only ${methods.join(', ')}.`
          : 'token_endpoint_auth_methods_supported is missing.',
        fix:
          'Accept "none" and "private_key_jwt" (ChatGPT\'s CIMD document declares both) and ' +
          'advertise them.',
        chatgpt: "ChatGPT's CIMD client authenticates with none or private_key_jwt only.",
      }
    },
  )

  await ctx.check(
    {
      id: 'as.resource-parameter',
      group: 'authServer',
      title: 'The resource parameter (RFC 8707) is accepted',
    },
    async () => {
      const host = new URL(issuer).hostname
      if (host === 'login.microsoftonline.com' || host === 'sts.windows.net') {
        return {
          status: 'warn',
          summary: 'Microsoft Entra ID v2 refuses a resource parameter sent together with scope.',
          fix:
            'Put an API gateway or an authorization server that accepts resource in front of ' +
            'Entra, or use its v1 endpoint with resource only.',
          chatgpt: 'ChatGPT always sends resource, so sign-in fails with AADSTS9010010.',
        }
      }
      if (ctx.facts.issuerLoginOk)
        return {
          status: 'pass',
          summary:
            'Signed in with resource on the authorization and token requests; the server issued ' +
            'a token.',
        }
      return {
        status: 'skip',
        summary: 'Only a sign-in can show it; run with --issuer-login to try.',
      }
    },
  )
}
