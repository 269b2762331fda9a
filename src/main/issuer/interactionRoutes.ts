import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Provider } from 'oidc-provider'
import type { TestUser } from '../../shared/config'
import { renderConsent, renderMessage, renderSignIn } from './interactionPages'
import { ISSUER_PATH } from './providerConfiguration'

const INTERACTION = new RegExp(
  `^${ISSUER_PATH}/interaction/([A-Za-z0-9_-]+)(?:/(login|confirm|abort))?$`,
)
const MAX_FORM_BYTES = 16 * 1024

/** True when the path is one of the sign-in/consent routes this module serves. */
export function isInteractionPath(pathname: string): boolean {
  return INTERACTION.test(pathname)
}

/** The sign-in and consent pages and their form posts, in front of oidc-provider's interaction API. */
export async function handleInteraction(
  provider: Provider,
  users: () => TestUser[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const [, uid, action] = INTERACTION.exec(
    new URL(req.url ?? '/', 'http://x').pathname,
  ) as RegExpExecArray
  let details
  try {
    details = await provider.interactionDetails(req, res)
  } catch {
    return sendHtml(
      res,
      400,
      renderMessage(
        'Sign-in expired',
        'This sign-in attempt is no longer valid. Start again from the client.',
      ),
    )
  }
  if (details.uid !== uid)
    return sendHtml(
      res,
      400,
      renderMessage(
        'Sign-in mismatch',
        'This page belongs to another sign-in attempt. Start again from the client.',
      ),
    )
  const client = details.params.client_id
    ? await provider.Client.find(String(details.params.client_id))
    : undefined
  const clientName = client?.clientName ?? String(details.params.client_id ?? 'A client')
  const base = `${ISSUER_PATH}/interaction/${uid}`

  if (req.method === 'GET' && !action) {
    if (details.prompt.name === 'login')
      return sendHtml(
        res,
        200,
        renderSignIn({ uid, clientName, users: users(), action: `${base}/login` }),
      )
    const user = users().find((u) => u.subject === details.session?.accountId)
    if (!user)
      return sendHtml(
        res,
        400,
        renderMessage('Unknown user', 'The signed-in test user no longer exists in the config.'),
      )
    const requested = String(details.params.scope ?? '')
      .split(' ')
      .filter(Boolean)
    const resource = typeof details.params.resource === 'string' ? details.params.resource : null
    const redirectUri =
      typeof details.params.redirect_uri === 'string' ? details.params.redirect_uri : null
    return sendHtml(
      res,
      200,
      renderConsent({
        clientName,
        user,
        requested,
        resource,
        redirectUri,
        action: `${base}/confirm`,
        abortAction: `${base}/abort`,
      }),
    )
  }
  if (req.method !== 'POST' || !action)
    return sendHtml(res, 405, renderMessage('Not allowed', 'Use the buttons on the page.'))

  if (action === 'abort') {
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user denied access.' },
      { mergeWithLastSubmission: false },
    )
  }
  if (action === 'login') {
    const form = await readForm(req)
    const user = users().find((u) => u.subject === form.get('subject'))
    if (!user)
      return sendHtml(res, 400, renderMessage('Unknown user', 'Pick one of the listed test users.'))
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.subject } },
      { mergeWithLastSubmission: false },
    )
  }
  const accountId = details.session?.accountId
  const user = users().find((u) => u.subject === accountId)
  if (!accountId || !user)
    return sendHtml(res, 400, renderMessage('Unknown user', 'Sign in again.'))
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: String(details.params.client_id) })
  if (!grant)
    return sendHtml(res, 400, renderMessage('Grant expired', 'Start again from the client.'))
  const prompt = details.prompt.details as {
    missingOIDCScope?: string[]
    missingOIDCClaims?: string[]
    missingResourceScopes?: Record<string, string[]>
  }
  const holds = (scope: string) =>
    scope === 'openid' || scope === 'offline_access' || user.permissions.includes(scope)
  const opAllowed = (prompt.missingOIDCScope ?? []).filter(holds)
  const opRefused = (prompt.missingOIDCScope ?? []).filter((s) => !holds(s))
  if (opAllowed.length) grant.addOIDCScope(opAllowed.join(' '))
  if (opRefused.length) grant.rejectOIDCScope(opRefused.join(' '))
  if (prompt.missingOIDCClaims?.length) grant.addOIDCClaims(prompt.missingOIDCClaims)
  for (const [indicator, scopes] of Object.entries(prompt.missingResourceScopes ?? {})) {
    const allowed = scopes.filter((s) => user.permissions.includes(s))
    const refused = scopes.filter((s) => !user.permissions.includes(s))
    if (allowed.length) grant.addResourceScope(indicator, allowed.join(' '))
    if (refused.length) grant.rejectResourceScope(indicator, refused.join(' '))
  }
  const grantId = await grant.save()
  return provider.interactionFinished(
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  )
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // No form-action: Chromium applies it to the redirect chain back to the client's redirect URI.
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  })
  res.end(html)
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_FORM_BYTES) break
    chunks.push(chunk as Buffer)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}
