import type { AuditContext, CheckOutcome, ToolFacts } from './auditContext'
import { serverHasAuth } from './auditContext'
import { argsFor, callToolOnce, scopeList, type CallOutcome } from './probes'

const PER_TOOL = 'ChatGPT will not show sign-in for per-tool auth'
/** Tools called (anonymously and signed in); past it only their declarations are checked. */
export const CALLED_TOOLS_MAX = 25
const HINT_FIX =
  'Answer an anonymous call with isError: true and _meta["mcp/www_authenticate"]: [\'Bearer ' +
  'error="invalid_token", error_description="…", resource_metadata="…", scope="…"\'].'

/**
 * Per tool: securitySchemes where ChatGPT reads them, and a call anonymously and with the token
 * that match them.
 */
export async function checkTools(ctx: AuditContext): Promise<void> {
  for (const [index, tool] of ctx.facts.tools.entries()) {
    await ctx.check(
      {
        id: 'tool.security-schemes',
        group: 'tools',
        tool: tool.name,
        title: 'securitySchemes at the top level and in _meta',
      },
      async () => schemesOutcome(ctx, tool),
    )
    const destructive =
      (tool.descriptor.annotations as { destructiveHint?: unknown } | undefined)
        ?.destructiveHint === true
    const notCalled = destructive
      ? 'Not called: the tool is annotated destructiveHint: true.'
      : index >= CALLED_TOOLS_MAX
        ? `Not called: only the first ${CALLED_TOOLS_MAX} tools are called (a bounded audit).`
        : null
    const args = argsFor(tool.descriptor.inputSchema)
    await ctx.check(
      {
        id: 'tool.anonymous-call',
        group: 'tools',
        tool: tool.name,
        title: 'An anonymous call behaves as declared',
      },
      async (evidence) => {
        if (notCalled) return { status: 'skip', summary: notCalled }
        return anonymousOutcome(
          ctx,
          tool,
          await callToolOnce(ctx, evidence, { tool: tool.name, args }),
        )
      },
    )
    if (tool.kind === 'noauth' || (tool.kind === 'undeclared' && !serverHasAuth(ctx.facts)))
      continue
    await ctx.check(
      {
        id: 'tool.signed-in-call',
        group: 'tools',
        tool: tool.name,
        title: 'A call with the token runs (or asks for the missing scopes)',
      },
      async (evidence) => {
        if (!ctx.token)
          return { status: 'skip', summary: 'No token: run with --token or --issuer-login.' }
        if (notCalled) return { status: 'skip', summary: notCalled }
        return signedInOutcome(
          ctx,
          tool,
          await callToolOnce(ctx, evidence, { tool: tool.name, args, token: ctx.token }),
        )
      },
    )
  }
}

function schemesOutcome(ctx: AuditContext, tool: ToolFacts): CheckOutcome {
  const { topLevel, inMeta } = tool
  if (topLevel && inMeta) {
    if (JSON.stringify(topLevel) === JSON.stringify(inMeta))
      return { status: 'pass', summary: `Both declare ${JSON.stringify(topLevel)}.` }
    return {
      status: 'fail',
      summary:
        `The top level says ${JSON.stringify(topLevel)} but _meta says ` +
        `${JSON.stringify(inMeta)}.`,
      fix: 'Emit one list and copy it to both places.',
    }
  }
  if (inMeta) {
    return {
      status: 'fail',
      summary:
        `securitySchemes only in _meta (${JSON.stringify(inMeta)}); the top-level field ` +
        `is missing.`,
      fix:
        'Add securitySchemes at the top level of the tool descriptor and keep the _meta copy ' +
        '(with the TypeScript SDK: a low-level tools/list handler).',
      chatgpt:
        "ChatGPT's documented field is the top-level one; _meta is only a back-compat mirror.",
    }
  }
  if (topLevel)
    return {
      status: 'warn',
      summary: `Top level only (${JSON.stringify(topLevel)}).`,
      fix: 'Mirror securitySchemes in _meta for clients that only read _meta.',
    }
  if (!serverHasAuth(ctx.facts))
    return {
      status: 'pass',
      summary: 'None declared, and the server has no auth: the tool is public.',
    }
  return {
    status: 'warn',
    summary: 'No securitySchemes: the tool inherits whatever the server does by default.',
    fix:
      'Declare securitySchemes per tool ([{type:"noauth"}], [{type:"oauth2",scopes:[…]}] or ' +
      'both), top level and in _meta.',
  }
}

function anonymousOutcome(ctx: AuditContext, tool: ToolFacts, outcome: CallOutcome): CheckOutcome {
  const mustWorkAnonymously =
    tool.kind === 'noauth' ||
    tool.kind === 'mixed' ||
    (tool.kind === 'undeclared' && !serverHasAuth(ctx.facts))
  if (outcome.kind === 'error')
    return {
      status: 'fail',
      summary: `The call failed: ${outcome.message}`,
      fix: 'Make tools/call answer a result (isError: true for failures) within the timeout.',
    }
  if (outcome.kind === 'http') {
    const where = outcome.at === 'connect' ? 'the connection itself' : 'the tools/call'
    if (!outcome.challenge) {
      return {
        status: 'fail',
        summary: `HTTP ${outcome.status} on ${where} with no WWW-Authenticate challenge.`,
        fix:
          'Send WWW-Authenticate: Bearer resource_metadata="…" with every 401 (and, for ' +
          'per-tool auth, answer a tool result with the hint instead).',
        chatgpt: `${PER_TOOL}, and no client can find where to sign in.`,
      }
    }
    if (mustWorkAnonymously)
      return {
        status: 'fail',
        summary:
          `Declared ${tool.kind === 'mixed' ? 'noauth + oauth2' : 'public'}, but ` +
          `anonymous ${where} was refused with HTTP ${outcome.status}.`,
        fix: 'Do not guard the whole /mcp endpoint: check the token inside the tools that need it.',
      }
    const perTool = ctx.facts.tools.some((t) => t.kind === 'noauth' || t.kind === 'mixed')
    return {
      status: perTool || outcome.at === 'call' ? 'fail' : 'warn',
      summary:
        `HTTP ${outcome.status} on ${where} (challenge: ${outcome.challenge.raw}). ` +
        `${PER_TOOL}: it needs a tool result with _meta["mcp/www_authenticate"].`,
      fix: `Let anonymous requests reach the tools and answer this one with the hint: ${HINT_FIX}`,
      chatgpt: `${PER_TOOL} (it offers sign-in only when the connector is first linked)`,
    }
  }
  const { isError, hint, text } = outcome
  if (mustWorkAnonymously) {
    if (hint)
      return {
        status: 'fail',
        summary: `Declared ${tool.kind} but the anonymous call asked for sign-in (${hint.raw}).`,
        fix: 'Either declare oauth2 only, or run the tool without a token.',
      }
    return {
      status: 'pass',
      summary: isError
        ? `Ran anonymously and answered an error not about sign-in: "${text}".`
        : 'Ran anonymously.',
    }
  }
  if (!isError) {
    if (tool.kind === 'undeclared')
      return {
        status: 'warn',
        summary: 'Ran anonymously; the tool declares no securitySchemes.',
        fix: 'Declare [{type:"noauth"}] if the tool is meant to be public.',
      }
    return {
      status: 'fail',
      summary: 'Declared oauth2 only, but ran without a token.',
      fix: 'Check the token inside the tool and answer the sign-in hint when there is none.',
      chatgpt: 'ChatGPT shows the result to anyone: the tool is not protected.',
    }
  }
  if (!hint)
    return {
      status: 'fail',
      summary: `isError without _meta["mcp/www_authenticate"]: "${text}".`,
      fix: HINT_FIX,
      chatgpt: 'ChatGPT shows the error text but no sign-in button.',
    }
  const missing = [!hint.error && 'error', !hint.errorDescription && 'error_description'].filter(
    Boolean,
  )
  if (missing.length)
    return {
      status: 'fail',
      summary: `The hint lacks ${missing.join(' and ')}: ${hint.raw}`,
      fix: HINT_FIX,
      chatgpt: 'ChatGPT needs both error and error_description to show its sign-in.',
    }
  const gaps = [
    !hint.resourceMetadata && 'resource_metadata',
    tool.scopes.length > 0 && !hint.scope && 'scope',
  ].filter(Boolean)
  if (gaps.length)
    return {
      status: 'warn',
      summary: `The hint lacks ${gaps.join(' and ')}: ${hint.raw}`,
      fix: HINT_FIX,
    }
  return {
    status: 'pass',
    summary: `isError with the hint: ${hint.raw}`,
    chatgpt: 'ChatGPT shows its sign-in for this tool.',
  }
}

function signedInOutcome(ctx: AuditContext, tool: ToolFacts, outcome: CallOutcome): CheckOutcome {
  if (outcome.kind === 'error')
    return { status: 'fail', summary: `The call failed: ${outcome.message}` }
  if (outcome.kind === 'http') {
    const challenge = outcome.challenge
    if (outcome.status === 403 && challenge?.error === 'insufficient_scope') {
      return {
        status: challenge.scope ? 'pass' : 'fail',
        summary: challenge.scope
          ? `HTTP 403 insufficient_scope naming "${challenge.scope}".`
          : 'HTTP 403 insufficient_scope naming no scope.',
        fix: challenge.scope
          ? null
          : "Name every scope the call needs in the challenge's scope parameter.",
      }
    }
    const why = challenge
      ? ` (${challenge.error ?? 'no error'}: ${challenge.errorDescription ?? challenge.raw})`
      : ''
    return {
      status: 'fail',
      summary: `The token was refused with HTTP ${outcome.status}${why}.`,
      fix:
        'Verify tokens against the issuer exactly as published (trailing slash included), ' +
        'the audience the client asked for (resource), and the scope claim your issuer uses.',
      chatgpt:
        'ChatGPT signs in and then every call fails: the user is asked to sign in again and again.',
    }
  }
  if (!outcome.isError) return { status: 'pass', summary: 'Ran with the token.' }
  const hint = outcome.hint
  if (hint?.error === 'insufficient_scope') {
    const asked = scopeList(hint.scope)
    if (!asked.length)
      return {
        status: 'fail',
        summary: `insufficient_scope naming no scope: ${hint.raw}`,
        fix: "Put every scope the tool needs in the hint's scope parameter.",
      }
    const held = ctx.facts.tokenScopes
    const lacking = held ? asked.filter((s) => !held.includes(s)) : asked
    if (lacking.length === 0)
      return {
        status: 'fail',
        summary: `Asked for "${hint.scope}", which the token already has.`,
        fix: 'Read scopes from the claim your issuer uses (scope, scp or permissions).',
      }
    return {
      status: 'pass',
      summary:
        `Step-up: insufficient_scope naming "${hint.scope}" (the token lacks ` +
        `${lacking.join(', ')}).`,
      chatgpt: 'ChatGPT signs in again asking for these scopes.',
    }
  }
  if (hint)
    return {
      status: 'fail',
      summary: `The token was refused inside the tool: ${hint.raw}`,
      fix:
        'Verify tokens against the issuer exactly as published (trailing slash included) and ' +
        'the audience clients ask for.',
    }
  return {
    status: 'pass',
    summary: `Ran with the token and answered an error not about sign-in: "${outcome.text}".`,
  }
}
