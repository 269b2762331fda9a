import { z } from 'zod'
import { SCOPE_CLAIMS } from './tokenRules'

/** One-click broken variants of a forged token. */
export const ForgeVariantSchema = z.enum([
  'valid',
  'expired',
  'notYetValid',
  'wrongAudience',
  'wrongIssuer',
  'badSignature',
  'algNone',
  'missingScope',
])
export type ForgeVariant = z.infer<typeof ForgeVariantSchema>

/** How each variant is named on screen, and what it does to the token. */
export const FORGE_VARIANTS: Record<ForgeVariant, { label: string; hint: string }> = {
  valid: { label: 'Valid', hint: 'Signed by the development issuer, right audience, live' },
  expired: { label: 'Expired', hint: 'exp in the past' },
  notYetValid: { label: 'Not yet valid', hint: 'nbf in the future' },
  wrongAudience: { label: 'Wrong audience', hint: 'aud is another API' },
  wrongIssuer: { label: 'Wrong issuer', hint: 'iss is someone else' },
  badSignature: { label: 'Bad signature', hint: 'signature bytes tampered' },
  algNone: { label: 'Unsigned (alg "none")', hint: 'no signature at all' },
  missingScope: { label: 'Missing scope', hint: 'valid but without the scopes widgets need' },
}

export const ForgeRequestSchema = z.object({
  variant: ForgeVariantSchema.default('valid'),
  subject: z.string().min(1).default('dev|alice'),
  name: z.string().optional(),
  email: z.string().optional(),
  scopes: z.array(z.string()).default([]),
  /** Which claim carries the scopes. */
  scopeClaim: z.enum(SCOPE_CLAIMS).default('scope'),
  extraClaims: z.record(z.string(), z.unknown()).default({}),
  /** Lifetime, in seconds. */
  lifetimeSec: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(3600),
  /** `aud`; absent: the server's audience. */
  audience: z.string().optional(),
})
export type ForgeRequest = z.input<typeof ForgeRequestSchema>

export interface ForgedToken {
  token: string
  variant: ForgeVariant
  /** The variant's name on screen, e.g. "Wrong audience". */
  label: string
  header: Record<string, unknown>
  claims: Record<string, unknown>
  /** What the server should say about it, e.g. "expired". */
  expectation: string
  /** False when minted for an external issuer (unsigned or broken variants only). */
  signedByIssuer: boolean
}

export type FindingLevel = 'ok' | 'warn' | 'error' | 'info'

export interface IssuerFinding {
  id: string
  level: FindingLevel
  title: string
  detail: string
  /** What to do about it, in plain words. */
  fix: string | null
}

export interface IssuerCheckReport {
  url: string
  provider: 'auth0' | 'okta' | 'entra' | 'cognito' | 'keycloak' | 'dev' | 'generic'
  findings: IssuerFinding[]
  metadata: Record<string, unknown> | null
}

export type ConnectStepStatus = 'pending' | 'running' | 'ok' | 'failed' | 'skipped'

export interface ConnectStep {
  id: string
  title: string
  status: ConnectStepStatus
  /** Raw material of the step: metadata, request, response (secrets redacted). */
  data: unknown
  /** Why it failed, in plain words. */
  error: string | null
  at: number | null
  /** ChatGPT profile: where ChatGPT would fail (or change course) at this step, and why. */
  warning?: string | null
}

export interface ConnectState {
  state: 'idle' | 'running' | 'waitingForBrowser' | 'connected' | 'failed'
  steps: ConnectStep[]
  /** Authorization URL the user must open, while waiting for the browser. */
  authorizationUrl: string | null
  /** Who Connect signed in as; `expiresAt` in epoch seconds. */
  identity: {
    subject: string
    scopes: string[]
    expiresAt: number | null
    clientId: string | null
  } | null
  error: string | null
}

export const IDLE_CONNECT_STATE: ConnectState = {
  state: 'idle',
  steps: [],
  authorizationUrl: null,
  identity: null,
  error: null,
}

export { ISSUER_PRESETS, fillIssuerPreset, type IssuerPreset } from './issuerPresets'
