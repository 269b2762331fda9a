import type { AuditCheck, AuditTool, ClientVerdict } from '../../shared/audit'
import type { AuditFacts } from './auditContext'
import { serverHasAuth } from './auditContext'

const DISCOVERY_IDS = [
  'discovery.protected-resource',
  'discovery.resource',
  'discovery.authorization-servers',
  'as.metadata',
  'as.issuer',
  'as.pkce',
]
const RANK = { fail: 3, warn: 2, pass: 1, skip: 0 } as const

/** Each tool's worst check status, with what its securitySchemes declare. */
export function toolSummaries(facts: AuditFacts, checks: AuditCheck[]): AuditTool[] {
  return facts.tools.map((t) => {
    const own = checks.filter((c) => c.tool === t.name)
    const worst = own.reduce<AuditTool['status']>(
      (w, c) => (RANK[c.status] > RANK[w] ? c.status : w),
      'skip',
    )
    return { name: t.name, kind: t.kind, scopes: t.scopes, status: own.length ? worst : 'skip' }
  })
}

const firstSentence = (text: string) => text.split(/(?<=\.)\s/)[0].replace(/\.$/, '')

function list(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** "ChatGPT: sign-in will work for tools A, B; tool C will fail because " +
  "…", and the same for a spec-only client. */
export function clientVerdicts(facts: AuditFacts, checks: AuditCheck[]): ClientVerdict[] {
  const find = (id: string, tool?: string) =>
    checks.find((c) => c.id === id && (tool === undefined || c.tool === tool))
  const discoveryFailure = DISCOVERY_IDS.map((id) => find(id)).find((c) => c?.status === 'fail')
  const hasAuth = serverHasAuth(facts)

  const judge = (client: 'chatgpt' | 'spec'): ClientVerdict => {
    const label = client === 'chatgpt' ? 'ChatGPT' : 'A spec-only MCP client'
    const tools = facts.tools.map((t) => {
      const anonymous = find('tool.anonymous-call', t.name)
      const signedIn = find('tool.signed-in-call', t.name)
      const schemes = find('tool.security-schemes', t.name)
      const anonymousOk = !anonymous || anonymous.status === 'pass' || anonymous.status === 'skip'
      if (t.kind === 'noauth' || (t.kind === 'undeclared' && !hasAuth)) {
        return {
          name: t.name,
          works: anonymousOk,
          reason: anonymousOk ? 'works without sign-in' : firstSentence(anonymous?.summary ?? ''),
        }
      }
      if (discoveryFailure)
        return {
          name: t.name,
          works: false,
          reason: `sign-in cannot start: ${firstSentence(discoveryFailure.summary)}`,
        }
      if (signedIn?.status === 'fail')
        return {
          name: t.name,
          works: false,
          reason: `the signed-in call fails: ${firstSentence(signedIn.summary)}`,
        }
      if (client === 'chatgpt') {
        if (schemes?.status === 'fail')
          return { name: t.name, works: false, reason: firstSentence(schemes.summary) }
        if (!anonymousOk)
          return {
            name: t.name,
            works: false,
            reason: firstSentence(anonymous?.chatgpt ?? anonymous?.summary ?? ''),
          }
        return {
          name: t.name,
          works: true,
          reason: 'sign-in will be offered when the tool is called',
        }
      }
      const refusedAtHttp =
        facts.anonymousRefused !== null ||
        checks.some(
          (c) =>
            c.id.startsWith('token.') &&
            c.group === 'tokens' &&
            c.status === 'pass' &&
            c.summary.includes('HTTP 401'),
        )
      return refusedAtHttp
        ? {
            name: t.name,
            works: true,
            reason: 'HTTP 401 with resource_metadata leads the client to sign in',
          }
        : {
            name: t.name,
            works: false,
            reason: 'the server never answers 401, so a client that waits for one never signs in',
          }
    })
    const isPublic = (name: string) => facts.tools.find((t) => t.name === name)?.kind === 'noauth'
    const ok = tools.filter((t) => t.works && !isPublic(t.name)).map((t) => t.name)
    const open = tools.filter((t) => t.works && isPublic(t.name)).map((t) => t.name)
    const bad = tools.filter((t) => !t.works)
    let summary: string
    if (facts.unreachable) summary = `${label}: nothing to judge: the server did not answer.`
    else if (!hasAuth)
      summary = `${label}: all ${tools.length} tool(s) are public and work without sign-in.`
    else if (tools.length === 0 && facts.anonymousRefused)
      summary =
        `${label}: the tools are unknown: the server lists them only with a token (run ` +
        `with --token or --issuer-login).`
    else {
      const parts = [
        ok.length ? `sign-in will work for ${list(ok)}` : 'sign-in will work for no tool',
      ]
      if (open.length)
        parts.push(`${list(open)} ${open.length > 1 ? 'work' : 'works'} without sign-in`)
      for (const t of bad) parts.push(`${t.name} will fail because ${t.reason}`)
      summary = `${label}: ${parts.join('; ')}.`
    }
    return { client, label, summary, tools }
  }
  return [judge('chatgpt'), judge('spec')]
}
