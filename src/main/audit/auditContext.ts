import type { AuditCheck, AuditExchange, AuditGroup, AuditStatus } from '../../shared/audit'
import type { IssuerSigner } from '../issuer/issuerSigner'
import type { Wire } from './wire'

/** A tool as `tools/list` returned it on the wire, with what its securitySchemes say. */
export interface ToolFacts {
  name: string
  descriptor: Record<string, unknown>
  topLevel: unknown[] | null
  inMeta: unknown[] | null
  kind: 'oauth2' | 'noauth' | 'mixed' | 'undeclared'
  scopes: string[]
}

export interface WwwAuthenticate {
  raw: string
  error?: string
  errorDescription?: string
  resourceMetadata?: string
  scope?: string
}

/** What earlier checks learned, for later ones. */
export interface AuditFacts {
  /** An anonymous 2025-11-25 client was answered 401 (the whole endpoint needs a token). */
  anonymousRefused: WwwAuthenticate | { raw: null } | null
  tools: ToolFacts[]
  prm: Record<string, unknown> | null
  prmUrl: string | null
  authorizationServer: string | null
  asMetadata: Record<string, unknown> | null
  /** Scopes the valid token carries (from its claims, when it is a JWT). */
  tokenScopes: string[] | null
  issuerLoginOk: boolean
  /** No HTTP answer at all to the first connection: why (refused, DNS, TLS, timeout). */
  unreachable: string | null
}

/**
 * The Workbench's own development issuer, when the audit runs inside the app: real signatures for
 * forged claims.
 */
export interface OwnIssuer {
  signer: IssuerSigner
  issuer: string
  /** The Workbench's own audience (a token for it is "another audience" anywhere else). */
  audience: string
}

export interface CheckOutcome {
  status: AuditStatus
  summary: string
  fix?: string | null
  chatgpt?: string | null
}

export interface CheckSpec {
  id: string
  group: AuditGroup
  title: string
  tool?: string | null
}

export interface AuditContext {
  target: string
  wire: Wire
  timeoutMs: number
  token: string | null
  ownIssuer: OwnIssuer | null
  facts: AuditFacts
  announce(message: string): void
  /** Runs one check with its own evidence list; a thrown error becomes a `fail` naming it. */
  check(
    spec: CheckSpec,
    run: (evidence: AuditExchange[]) => Promise<CheckOutcome>,
  ): Promise<AuditCheck>
}

export function emptyFacts(): AuditFacts {
  return {
    anonymousRefused: null,
    tools: [],
    prm: null,
    prmUrl: null,
    authorizationServer: null,
    asMetadata: null,
    tokenScopes: null,
    issuerLoginOk: false,
    unreachable: null,
  }
}

/**
 * True when the server shows any sign of OAuth: metadata, a 401, or a tool that declares oauth2.
 */
export function serverHasAuth(facts: AuditFacts): boolean {
  return (
    facts.prm !== null ||
    facts.anonymousRefused !== null ||
    facts.tools.some((t) => t.kind === 'oauth2' || t.kind === 'mixed')
  )
}

/** What a check returns when every request needs a token and the audit was given none. */
export const NO_TOKEN_SKIP: CheckOutcome = {
  status: 'skip',
  summary: 'The endpoint needs a token for every request and none was given.',
}

/**
 * The token a check sends: none while anonymous callers are served, else the audit's token;
 * `undefined` when one is needed and none was given.
 */
export function checkToken(ctx: AuditContext): string | null | undefined {
  if (!ctx.facts.anonymousRefused) return null
  return ctx.token || undefined
}
