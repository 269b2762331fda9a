import type { AuditCheck, AuditExchange, AuditReport } from '../../shared/audit'
import { redacted, redactHeaders, redactSecretFields, redactText } from '../log/redact'

/**
 * Text from the wire (URL, body, header value, a server's words in a summary) with every secret the
 * log would hide replaced by its fingerprint: JWTs, `code=` and other secret parameters, secret JSON
 * fields, the issuer's interaction ids, and `known` secrets (an opaque token the audit was given).
 */
export function redactWireText(text: string, known: readonly string[] = []): string {
  return redactText(redactSecretFields(redactKnown(text, known)))
}

/**
 * Headers as the log keeps them (`redactHeaders`: credentials, cookies with their attributes, and
 * every other value as text), plus the audit's `known` secrets and secret JSON fields.
 */
export function redactWireHeaders(
  headers: Record<string, string | string[]>,
  known: readonly string[] = [],
): Record<string, string> {
  const out = redactHeaders(headers)
  for (const name of Object.keys(out)) out[name] = redactSecretFields(redactKnown(out[name], known))
  return out
}

function redactKnown(text: string, known: readonly string[]): string {
  let out = text
  for (const secret of known)
    if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(redacted(secret))
  return out
}

function redactExchange(exchange: AuditExchange): AuditExchange {
  const { request, response } = exchange
  return {
    ...exchange,
    request: {
      ...request,
      url: redactWireText(request.url),
      headers: redactWireHeaders(request.headers),
      body: request.body === null ? null : redactWireText(request.body),
    },
    response: response && {
      ...response,
      headers: redactWireHeaders(response.headers),
      body: response.body === null ? null : redactWireText(response.body),
    },
    error: exchange.error === null ? null : redactWireText(exchange.error),
  }
}

/** A check whose words may quote the server: scrubbed like the wire. */
export function redactCheckText<T extends Pick<AuditCheck, 'summary' | 'fix' | 'chatgpt'>>(
  check: T,
  known: readonly string[] = [],
): T {
  const text = (s: string | null | undefined) => (s ? redactWireText(s, known) : (s ?? null))
  return {
    ...check,
    summary: text(check.summary),
    fix: text(check.fix),
    chatgpt: text(check.chatgpt),
  }
}

/**
 * A whole report scrubbed again (idempotent: fingerprints are left alone), for reports written
 * before evidence was redacted as it was recorded.
 */
export function redactReport(report: AuditReport): AuditReport {
  return {
    ...report,
    checks: report.checks.map((c) => ({
      ...redactCheckText(c),
      evidence: c.evidence.map(redactExchange),
    })),
    verdicts: report.verdicts.map((v) => ({
      ...v,
      summary: redactWireText(v.summary),
      tools: v.tools.map((t) => ({ ...t, reason: redactWireText(t.reason) })),
    })),
  }
}
