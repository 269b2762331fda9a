import { ISSUER_PRESETS } from '../../shared/issuerTypes'
import type { CheckIssuerOptions } from './checkIssuer'
import type { AddFinding, Provider } from './issuerFinding'

export function resourceHint(provider: Provider, add: AddFinding) {
  const preset = ISSUER_PRESETS.find((p) => p.provider === provider)
  if (preset)
    add(
      'resource-indicators',
      'warn',
      `Resource indicators on ${preset.label}`,
      'MCP clients send resource=<MCP URL> and expect aud to be that URL.',
      preset.audienceHint,
    )
  else if (provider === 'dev')
    add(
      'resource-indicators',
      'ok',
      'Resource indicators',
      'The development issuer puts the requested resource into aud.',
    )
  else
    add(
      'resource-indicators',
      'info',
      'Resource indicators',
      'Make sure the issuer copies the RFC 8707 resource parameter into aud, or set auth.audience to what it puts there.',
    )
}

export function audienceCheck(
  provider: Provider,
  issuer: string | null,
  options: CheckIssuerOptions,
  add: AddFinding,
) {
  const audience = options.audience
  if (!audience) return
  if (issuer && audience.replace(/\/$/, '') === issuer.replace(/\/$/, '')) {
    add(
      'audience',
      'error',
      'Audience is the issuer',
      `auth.audience is "${audience}", the issuer itself.`,
      'The audience names your MCP server (its resource URL or API identifier), not the issuer.',
    )
  } else if (provider === 'auth0' && audience.endsWith('/userinfo')) {
    add(
      'audience',
      'error',
      'Audience is the userinfo endpoint',
      'Tokens for /userinfo are opaque in Auth0 and cannot be verified.',
      'Use your Auth0 API identifier (the MCP URL) as the audience.',
    )
  } else if (
    options.resource &&
    audience !== options.resource &&
    provider !== 'entra' &&
    provider !== 'cognito'
  ) {
    add(
      'audience',
      'warn',
      'Audience differs from the resource URL',
      `auth.audience "${audience}" is not the resource "${options.resource}" that ChatGPT sends as resource.`,
      'Either make the issuer put the resource URL into aud, or keep auth.audience equal to what it does put there.',
    )
  } else add('audience', 'ok', 'Audience looks right', `Tokens must carry aud "${audience}".`)
}
