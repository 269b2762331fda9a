import { z } from 'zod'

/**
 * What an audit found about one check: `skip` when it could not run (no token, nothing to test).
 */
export const AuditStatusSchema = z.enum(['pass', 'warn', 'fail', 'skip'])
export type AuditStatus = z.infer<typeof AuditStatusSchema>

export const AuditGroupSchema = z.enum(['discovery', 'authServer', 'tools', 'tokens', 'transport'])
export type AuditGroup = z.infer<typeof AuditGroupSchema>

/** One HTTP exchange exactly as sent and received; credentials replaced by fingerprints. */
export const AuditExchangeSchema = z.object({
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.string().nullable(),
  }),
  response: z
    .object({
      status: z.number().int(),
      headers: z.record(z.string(), z.string()),
      body: z.string().nullable(),
    })
    .nullable(),
  /** Set when no response came (timeout, refused connection). */
  error: z.string().nullable(),
  ms: z.number(),
})
export type AuditExchange = z.infer<typeof AuditExchangeSchema>

export const AuditCheckSchema = z.object({
  /** Stable across runs (with `tool`), so runs can be compared. */
  id: z.string(),
  group: AuditGroupSchema,
  tool: z.string().nullable(),
  title: z.string(),
  status: AuditStatusSchema,
  /** What was seen, in one or two sentences. */
  summary: z.string(),
  /** What to change, in one sentence; null when nothing needs to. */
  fix: z.string().nullable(),
  /** What ChatGPT does at this step, when it matters. */
  chatgpt: z.string().nullable(),
  evidence: z.array(AuditExchangeSchema),
})
export type AuditCheck = z.infer<typeof AuditCheckSchema>

export const ClientVerdictSchema = z.object({
  client: z.enum(['chatgpt', 'spec']),
  label: z.string(),
  /** One sentence: which tools sign-in works for, which fail and why. */
  summary: z.string(),
  tools: z.array(z.object({ name: z.string(), works: z.boolean(), reason: z.string() })),
})
export type ClientVerdict = z.infer<typeof ClientVerdictSchema>

export const AuditToolSchema = z.object({
  name: z.string(),
  /** `oauth2`, `noauth`, `mixed`, or `undeclared` (no securitySchemes anywhere). */
  kind: z.enum(['oauth2', 'noauth', 'mixed', 'undeclared']),
  scopes: z.array(z.string()),
  status: AuditStatusSchema,
})
export type AuditTool = z.infer<typeof AuditToolSchema>

export const AuditComparisonSchema = z.object({
  previousAt: z.string(),
  /** Check keys (`id` or `id@tool`) that failed or warned last time and pass now. */
  fixed: z.array(z.string()),
  /** Check keys that fail or warn now and did not last time. */
  new: z.array(z.string()),
})
export type AuditComparison = z.infer<typeof AuditComparisonSchema>

export const AuditReportSchema = z.object({
  version: z.literal(1),
  target: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  identity: z.enum(['none', 'token', 'issuer-login']),
  /** True when the server declares no auth at all: every tool public. */
  allPublic: z.boolean(),
  tools: z.array(AuditToolSchema),
  checks: z.array(AuditCheckSchema),
  verdicts: z.array(ClientVerdictSchema),
  /** HTTP requests the whole run sent (the audit's politeness budget). */
  requests: z.number().int(),
  counts: z.object({
    pass: z.number().int(),
    warn: z.number().int(),
    fail: z.number().int(),
    skip: z.number().int(),
  }),
  comparison: AuditComparisonSchema.nullable(),
})
export type AuditReport = z.infer<typeof AuditReportSchema>

/**
 * Progress while an audit runs: announcements (forged tokens ahead), each finished check, the end.
 */
export type AuditProgress =
  | { runId: number; type: 'started'; target: string }
  /** `url`: a page the person must open (the sign-in of --issuer-login). */
  | { runId: number; type: 'announce'; message: string; url?: string }
  | { runId: number; type: 'check'; check: AuditCheck }
  | { runId: number; type: 'finished'; report: AuditReport }
  | { runId: number; type: 'failed'; message: string }

/** How a check is named when runs are compared: the id, plus the tool for per-tool checks. */
export function checkKey(check: Pick<AuditCheck, 'id' | 'tool'>): string {
  return check.tool ? `${check.id}@${check.tool}` : check.id
}
