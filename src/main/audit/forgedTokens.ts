import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose'
import type { ForgeVariant } from '../../shared/issuerTypes'
import type { IssuerSigner } from '../issuer/issuerSigner'
import { createTokenForge } from '../issuer/tokenForge'
import type { AuditContext } from './auditContext'

export interface ForgedForAudit {
  variant: ForgeVariant
  token: string
  /** How it was made, for the evidence: what a refusal proves. */
  note: string
}

/** Claims of a JWT, or null for an opaque token. */
function claimsOf(token: string | null): Record<string, unknown> | null {
  if (!token) return null
  try {
    return decodeJwt(token) as Record<string, unknown>
  } catch {
    return null
  }
}

function kidOf(token: string | null): string | undefined {
  if (!token) return undefined
  try {
    const kid = decodeProtectedHeader(token).kid
    return typeof kid === 'string' ? kid : undefined
  } catch {
    return undefined
  }
}

/** A signer with a fresh key under the issuer's `kid`: what an attacker without the ' +
  'issuer's key can produce. */
async function strangerSigner(kid: string | undefined, issuer: string): Promise<IssuerSigner> {
  const { privateKey } = await generateKeyPair('RS256')
  return {
    kid: kid ?? 'audit-forged',
    alg: 'RS256',
    issuer: () => issuer,
    sign: (payload, header = {}) =>
      new SignJWT(payload)
        .setProtectedHeader({
          alg: 'RS256',
          kid: header.kid ?? kid ?? 'audit-forged',
          typ: header.typ ?? 'at+jwt',
        })
        .sign(privateKey),
  }
}

/**
 * The three tokens a server must refuse: a wrong signature, an expired one, one for another
 * audience. Made with the
 * Workbench's token forge; with the ' +
   'Workbench's own issuer behind the server they carry real signatures.
 */
export async function forgeAuditTokens(ctx: AuditContext): Promise<ForgedForAudit[]> {
  const base = claimsOf(ctx.token) ?? {}
  const issuer =
    (ctx.facts.asMetadata?.issuer as string | undefined) ??
    ctx.facts.authorizationServer ??
    (typeof base.iss === 'string' ? base.iss : ctx.target)
  const audience = typeof ctx.facts.prm?.resource === 'string' ? ctx.facts.prm.resource : ctx.target
  const own = ctx.ownIssuer
  const ownServer = own !== null && own.issuer === issuer
  const stranger = await strangerSigner(kidOf(ctx.token), issuer)
  const subject = typeof base.sub === 'string' ? base.sub : 'audit|forged'
  const scopes = [...new Set(ctx.facts.tools.flatMap((t) => t.scopes))]
  const request = { subject, scopes, extraClaims: { audit: 'forged by MCP Auth Workbench' } }
  const targetForge = createTokenForge({
    signer: () => (ownServer ? own.signer : stranger),
    issuer: () => issuer,
    audience: () => audience,
  })
  const forged: ForgedForAudit[] = []
  const badSignature = await targetForge.mint({ ...request, variant: 'badSignature' })
  forged.push({
    variant: 'badSignature',
    token: badSignature.token,
    note:
      `Claims for this server (iss ${issuer}, aud ${audience}), signed by a key it never ` +
      `published under kid "${String(badSignature.header.kid ?? '')}".`,
  })
  const expired = await targetForge.mint({ ...request, variant: 'expired' })
  forged.push({
    variant: 'expired',
    token: expired.token,
    note: ownServer
      ? 'Signed by the issuer itself, expired two hours ago.'
      : "Expired two hours ago; signed with a key the server does not trust (the issuer's key " +
        'is not ours), so a refusal shows verification, not the exp check alone.',
  })
  if (own && !ownServer) {
    const other = createTokenForge({
      signer: () => own.signer,
      issuer: () => own.issuer,
      audience: () => own.audience,
    })
    const token = await other.mint({ ...request, variant: 'valid' })
    forged.push({
      variant: 'wrongAudience',
      token: token.token,
      note:
        `A valid token from the Workbench's own issuer (${own.issuer}) for its own audience ` +
        `(${own.audience}).`,
    })
  } else {
    const token = await targetForge.mint({ ...request, variant: 'wrongAudience' })
    forged.push({
      variant: 'wrongAudience',
      token: token.token,
      note: ownServer
        ? 'Signed by the issuer itself for audience https://wrong-audience.invalid/mcp.'
        : 'For audience https://wrong-audience.invalid/mcp, signed with a key the server does ' +
          'not trust.',
    })
  }
  return forged
}

/** A token of this server's own issuer without any scope (step-up), when the audit holds that ' +
  'issuer's key. */
export async function forgeScopelessToken(ctx: AuditContext): Promise<string | null> {
  const own = ctx.ownIssuer
  const issuer =
    (ctx.facts.asMetadata?.issuer as string | undefined) ?? ctx.facts.authorizationServer
  if (!own || own.issuer !== issuer) return null
  const audience = typeof ctx.facts.prm?.resource === 'string' ? ctx.facts.prm.resource : ctx.target
  const forge = createTokenForge({
    signer: () => own.signer,
    issuer: () => own.issuer,
    audience: () => audience,
  })
  return (await forge.mint({ variant: 'missingScope', subject: 'audit|scopeless' })).token
}

export { claimsOf }
