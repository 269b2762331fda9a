import { useState } from 'react'
import type { WidgetCallResult } from '../../../shared/contract'
import { UnavailableNote, useFeatureReason } from '../components/Unavailable'
import {
  callPreview,
  connectAndRetry,
  openExternal,
  resetConnect,
  updateConfig,
} from '../store/actions'
import type { ConnectExtra } from '../store/types'
import { useWorkbench } from '../store/useWorkbench'

/** The `error` and `scope` parameters of a Bearer challenge, for display. */
export function readChallenge(header: string): {
  error: string | null
  scope: string | null
  description: string | null
} {
  const param = (name: string): string | null =>
    new RegExp(`${name}="([^"]*)"`).exec(header)?.[1] ?? null
  return { error: param('error'), scope: param('scope'), description: param('error_description') }
}

export function challengeHeader(result: WidgetCallResult): string | null {
  const meta = result.result._meta?.['mcp/www_authenticate']
  if (Array.isArray(meta)) return meta.map(String).join(', ')
  if (typeof meta === 'string') return meta
  return result.httpError?.wwwAuthenticate ?? null
}

/** Shown at once, then saved; a save that fails puts the previous choice back (and says why). */
async function saveChatGptProfile(asChatGpt: boolean): Promise<void> {
  const show = (value: boolean) =>
    useWorkbench.setState((s) =>
      s.app
        ? { app: { ...s.app, config: { ...s.app.config, connect: { asChatGpt: value } } } }
        : {},
    )
  show(asChatGpt)
  if (!(await updateConfig({ connect: { asChatGpt } }, 'the Connect profile'))) show(!asChatGpt)
}

/** What ChatGPT shows when a tool answers with the sign-in challenge: a Connect step, then the call again. */
export function ConnectStep({
  result,
  onConnect,
  onSignInAs,
}: {
  result: WidgetCallResult
  /** What Connect and "Sign in as" do instead of calling the previewed widget again (a widget's own call). */
  onConnect?: (scope?: string, extra?: ConnectExtra) => void
  onSignInAs?: (subject: string) => void
}) {
  const header = challengeHeader(result)
  const challenge = header ? readChallenge(header) : { error: null, scope: null, description: null }
  const connectReason = useFeatureReason('connect')
  const connect = useWorkbench((s) => s.app!.connect)
  const users = useWorkbench((s) => s.app!.config.devIssuer.users)
  const issuerKind = useWorkbench((s) => s.app!.status.issuer.kind)
  const waiting = useWorkbench((s) => s.retryAfterConnect)
  const stepUp = challenge.error === 'insufficient_scope'
  const tokenRefused = result.httpError?.status === 401
  // Connect's steps belong to the call they were started from: an older run stays off an unrelated answer.
  const [connectedFrom, setConnectedFrom] = useState<WidgetCallResult | null>(null)
  const showRun =
    connectedFrom === result || connect.state === 'running' || connect.state === 'waitingForBrowser'
  // Saved in the config: every way of starting Connect, and the next session, runs the same profile.
  const asChatGpt = useWorkbench((s) => s.app!.config.connect.asChatGpt)
  const [clientId, setClientId] = useState('')
  const [clientSecret, setClientSecret] = useState('')
  const connectWith = (choice: ConnectExtra) => {
    setConnectedFrom(result)
    const extra: ConnectExtra = {
      ...choice,
      ...(clientId.trim() ? { clientId: clientId.trim() } : {}),
      ...(clientId.trim() && clientSecret ? { clientSecret } : {}),
    }
    return onConnect
      ? onConnect(challenge.scope ?? undefined, extra)
      : void connectAndRetry(challenge.scope ?? undefined, extra)
  }
  const chatgptWarnings = connect.steps.filter((s) => s.warning)
  return (
    <div className="connect-step card" role="region" aria-label="Connect">
      <h2>
        {tokenRefused
          ? 'The token was refused'
          : stepUp
            ? 'More permissions needed'
            : 'Sign-in required'}
      </h2>
      <p>
        {tokenRefused
          ? `The server answered HTTP 401. ChatGPT would drop this token and ask the user to connect again.`
          : stepUp
            ? 'The signed-in user lacks scopes this widget needs. ChatGPT would ask the user to connect again with more scopes.'
            : 'This widget requires a signed-in user. In ChatGPT the user now sees a "Connect" button that starts OAuth with your issuer.'}
      </p>
      {challenge.description && <p className="muted small">Server says: {challenge.description}</p>}
      {header && <code className="mono small challenge">{header}</code>}
      <div className="connect-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={connectReason !== null}
          title={connectReason ?? 'Run the OAuth flow ChatGPT runs, then call again signed in'}
          onClick={() => connectWith({ asChatGpt })}
        >
          {waiting ? 'Restart Connect' : 'Connect'}
        </button>
        {connect.state === 'connected' && (
          <button
            type="button"
            className="button"
            disabled={connectReason !== null}
            title="Sign in again, as another user (prompt=login)"
            onClick={() => connectWith({ asChatGpt, prompt: 'login' })}
          >
            Use another account
          </button>
        )}
        {issuerKind === 'dev' &&
          users.map((u) => (
            <button
              key={u.subject}
              type="button"
              className="button"
              onClick={() =>
                onSignInAs
                  ? onSignInAs(u.subject)
                  : void callPreview({ kind: 'testUser', subject: u.subject })
              }
            >
              Sign in as {u.name}
            </button>
          ))}
        {connect.state === 'connected' && (
          <button type="button" className="button button-ghost" onClick={() => void resetConnect()}>
            Sign out of Connect
          </button>
        )}
      </div>
      <label className="chatgpt-profile small">
        <input
          type="checkbox"
          checked={asChatGpt}
          onChange={(e) => void saveChatGptProfile(e.target.checked)}
        />{' '}
        Connect as ChatGPT does: its client metadata document (private_key_jwt), redirect rule, OIDC
        scopes
      </label>
      <details className="pre-registered small">
        <summary>
          Use a pre-registered client (issuers without CIMD or dynamic registration)
        </summary>
        <label>
          Client ID{' '}
          <input
            className="mono"
            value={clientId}
            onChange={(e) => setClientId(e.target.value)}
            spellCheck={false}
          />
        </label>{' '}
        <label>
          Client secret (kept in memory only){' '}
          <input
            type="password"
            value={clientSecret}
            onChange={(e) => setClientSecret(e.target.value)}
            autoComplete="off"
          />
        </label>
      </details>
      <UnavailableNote reason={connectReason} />
      {connect.state === 'waitingForBrowser' && connect.authorizationUrl && (
        <p className="small waiting-note">
          Finish signing in in the browser; the widget is called again as soon as you are back.{' '}
          <a
            className="button button-small"
            href={connect.authorizationUrl}
            target="_blank"
            rel="noopener noreferrer"
            onClick={(e) => {
              e.preventDefault()
              void openExternal(connect.authorizationUrl!)
            }}
          >
            Open the sign-in page
          </a>
        </p>
      )}
      {showRun && connect.steps.length > 0 && (
        <ol className="connect-steps">
          {connect.steps.map((step) => (
            <li key={step.id} className={`step-${step.status}`}>
              <span className="step-status">
                {step.status === 'ok'
                  ? '✓'
                  : step.status === 'failed'
                    ? '✗'
                    : step.status === 'running'
                      ? '…'
                      : '·'}
              </span>
              <span>{step.title}</span>
              {step.error && <span className="fail-text small"> — {step.error}</span>}
              {step.warning && (
                <span className="warn-text small">
                  {' '}
                  — {/^ChatGPT/.test(step.warning) ? '' : 'ChatGPT: '}
                  {step.warning}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      {showRun && chatgptWarnings.length > 0 && (
        <p className="small chatgpt-verdict">
          Against this issuer ChatGPT would stop or change course at:{' '}
          {chatgptWarnings.map((s) => s.title).join(', ')}.
        </p>
      )}
      {showRun && connect.error && <p className="inline-error">{connect.error}</p>}
    </div>
  )
}
