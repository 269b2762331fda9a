import type { AuditExchange } from '../../shared/audit'
import { serverHasAuth, type AuditContext, type CheckOutcome, type ToolFacts } from './auditContext'
import { forgeAuditTokens, forgeScopelessToken } from './forgedTokens'
import { openCheckSession } from './mcpSession'
import { argsFor, callToolOnce, failedCall, scopeList, type CallOutcome } from './probes'

const TITLES: Record<string, string> = {
  badSignature: 'A token with a wrong signature is refused',
  expired: 'An expired token is refused',
  wrongAudience: 'A token for another audience is refused',
}

const notDestructive = (t: ToolFacts) =>
  (t.descriptor.annotations as { destructiveHint?: unknown } | undefined)?.destructiveHint !== true

/** Sends a token where it matters most: a call to an oauth2 tool, else tools/list. */
async function probe(
  ctx: AuditContext,
  evidence: AuditExchange[],
  token: string,
): Promise<CallOutcome> {
  const tool =
    ctx.facts.tools.find((t) => t.kind === 'oauth2' && notDestructive(t)) ??
    ctx.facts.tools.find((t) => t.kind === 'mixed' && notDestructive(t))
  if (tool)
    return callToolOnce(ctx, evidence, {
      tool: tool.name,
      args: argsFor(tool.descriptor.inputSchema),
      token,
    })
  try {
    const session = await openCheckSession(ctx, token)
    await session.client
      .listTools(undefined, { timeout: ctx.timeoutMs })
      .finally(() => session.close())
    return { kind: 'result', result: {}, isError: false, hint: null, text: '' }
  } catch (err) {
    return failedCall(evidence, err, 'connect')
  }
}

function forgedOutcome(outcome: CallOutcome, note: string): CheckOutcome {
  const how = ` (${note.replace(/\.$/, '')})`
  if (outcome.kind === 'http' && outcome.status === 401) {
    const c = outcome.challenge
    if (!c)
      return {
        status: 'fail',
        summary: `Refused with a bare HTTP 401: no WWW-Authenticate challenge${how}.`,
        fix:
          'Answer 401 with WWW-Authenticate: Bearer error="invalid_token", ' +
          'error_description="…", resource_metadata="…".',
        chatgpt: 'Clients cannot tell where to sign in again.',
      }
    const missing = [
      c.error !== 'invalid_token' && 'error="invalid_token"',
      !c.resourceMetadata && 'resource_metadata',
    ].filter(Boolean)
    if (missing.length)
      return {
        status: 'warn',
        summary:
          `Refused with HTTP 401, but the challenge lacks ${missing.join(' and ')}: ` +
          `${c.raw}${how}.`,
        fix:
          'Answer 401 with WWW-Authenticate: Bearer error="invalid_token", ' +
          'error_description="…", resource_metadata="…".',
      }
    return { status: 'pass', summary: `Refused: HTTP 401 ${c.raw}${how}.` }
  }
  if (outcome.kind === 'http')
    return {
      status: 'warn',
      summary: `Refused with HTTP ${outcome.status} rather than 401${how}.`,
      fix: 'Answer a token that fails verification with 401 invalid_token and resource_metadata.',
    }
  if (outcome.kind === 'error')
    return { status: 'fail', summary: `The request failed: ${outcome.message}${how}.` }
  if (outcome.hint)
    return {
      status: 'warn',
      summary: `Refused inside the tool with HTTP 200 (${outcome.hint.raw})${how}.`,
      fix:
        'Verify the token before the request reaches MCP and answer 401 invalid_token with ' +
        'resource_metadata: spec clients act on 401 only.',
    }
  return {
    status: 'fail',
    summary: `Accepted: the request ran with a forged token${how}.`,
    fix:
      "Verify every token (signature against the issuer's JWKS, iss, aud, exp) before " +
      "running anything, e.g. with jose's jwtVerify.",
    chatgpt: 'Anyone can call the protected tools with a made-up token.',
  }
}

/**
 * Forged tokens refused with 401, the same token accepted twice, step-up naming scopes, no token
 * echoed back.
 */
export async function checkTokenHandling(ctx: AuditContext): Promise<void> {
  if (!serverHasAuth(ctx.facts)) {
    await ctx.check(
      { id: 'token.forged', group: 'tokens', title: 'Forged tokens are refused' },
      async () => ({
        status: 'skip',
        summary: 'The server declares no auth: no token is needed, none was forged.',
      }),
    )
    return
  }
  ctx.announce(
    `Sending 3 forged tokens (wrong signature, expired, another audience) to ${ctx.target}. ` +
      `They are made up by the audit, valid nowhere, and a correct server refuses them.`,
  )
  const forged = await forgeAuditTokens(ctx)
  const sent: string[] = []
  const forgedEvidence: AuditExchange[][] = []
  for (const f of forged) {
    sent.push(f.token)
    await ctx.check(
      { id: `token.${f.variant}`, group: 'tokens', title: TITLES[f.variant] },
      async (evidence) => {
        forgedEvidence.push(evidence)
        return forgedOutcome(await probe(ctx, evidence, f.token), f.note)
      },
    )
  }

  await ctx.check(
    { id: 'token.not-echoed', group: 'tokens', title: 'Tokens are not echoed back in responses' },
    async () => {
      const echoed = forgedEvidence
        .flat()
        .filter((e) => sent.some((t) => (ctx.wire.rawBody(e) ?? '').includes(t.split('.')[2] ?? t)))
      if (echoed.length)
        return {
          status: 'fail',
          summary: `${echoed.length} response(s) to forged tokens contained the token.`,
          fix: 'Never put the presented token in an error message, header or log line.',
        }
      return {
        status: 'pass',
        summary:
          `None of the ${forgedEvidence.flat().length} responses to forged tokens ` +
          `contained them.`,
      }
    },
  )

  await ctx.check(
    {
      id: 'token.reusable',
      group: 'tokens',
      title: 'The same token works again (no single-use surprise)',
    },
    async (evidence) => {
      if (!ctx.token)
        return { status: 'skip', summary: 'No token: run with --token or --issuer-login.' }
      const first = await probe(ctx, evidence, ctx.token)
      const second = await probe(ctx, evidence, ctx.token)
      const refused = (o: CallOutcome) => o.kind !== 'result' || o.hint?.error === 'invalid_token'
      if (refused(first))
        return {
          status: 'skip',
          summary: 'The token was refused the first time (see the signed-in call checks).',
        }
      if (refused(second))
        return {
          status: 'fail',
          summary: 'Accepted once, refused the second time.',
          fix: 'Do not treat access tokens as single-use: accept them until they expire.',
        }
      return { status: 'pass', summary: 'Accepted twice in a row.' }
    },
  )

  const needsScopes = ctx.facts.tools.find(
    (t) => t.kind === 'oauth2' && t.scopes.length > 0 && notDestructive(t),
  )
  const scopeless = needsScopes ? await forgeScopelessToken(ctx) : null
  if (needsScopes && scopeless) {
    await ctx.check(
      {
        id: 'token.step-up',
        group: 'tokens',
        tool: needsScopes.name,
        title: 'A token without the scopes gets insufficient_scope naming them',
      },
      async (evidence) => {
        const outcome = await callToolOnce(ctx, evidence, {
          tool: needsScopes.name,
          args: argsFor(needsScopes.descriptor.inputSchema),
          token: scopeless,
        })
        const challenge =
          outcome.kind === 'result'
            ? outcome.hint
            : outcome.kind === 'http'
              ? outcome.challenge
              : null
        const named = scopeList(challenge?.scope)
        if (
          challenge?.error === 'insufficient_scope' &&
          needsScopes.scopes.every((s) => named.includes(s))
        ) {
          return {
            status: 'pass',
            summary:
              `insufficient_scope naming "${challenge.scope}" ` +
              `(${outcome.kind === 'http' ? `HTTP ${outcome.status}` : 'tool result hint'}).`,
          }
        }
        const ran = outcome.kind === 'result' && !outcome.isError
        const got = challenge ? challenge.raw : ran ? 'a result: the tool ran' : 'no challenge'
        return {
          status: 'fail',
          summary:
            `Expected insufficient_scope naming ${needsScopes.scopes.join(' ')}; got ` + `${got}.`,
          fix:
            'When the token lacks scopes, answer insufficient_scope with every scope the ' +
            'tool needs in scope="…".',
        }
      },
    )
  }
}
