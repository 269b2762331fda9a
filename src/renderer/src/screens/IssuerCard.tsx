import { useRef, useState } from 'react'
import { AudienceSchema, IssuerSettingSchema, selectedIssuer } from '../../../shared/config'
import type { IssuerCheckReport } from '../../../shared/issuerTypes'
import {
  ISSUER_PRESETS,
  presetStartUrl,
  unfilledPlaceholders,
  type IssuerPreset,
} from '../../../shared/issuerPresets'
import { Card, Field } from '../components/Field'
import { Segmented } from '../components/Segmented'
import { UnavailableNote, useFeatureReason } from '../components/Unavailable'
import { Badge } from '../components/VerdictBadge'
import { checkIssuer, updateConfig } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import { schemaError } from './formValidation'

type Mode = 'dev' | 'off' | 'external'

/** Why the issuer form cannot be saved, by the config's own schemas; null when it can. */
function issuerFormError(
  mode: Mode,
  url: string,
  audience: string,
  preset: IssuerPreset | null,
): string | null {
  if (mode === 'external') {
    const placeholders = preset ? unfilledPlaceholders(preset, url) : []
    if (placeholders.length) return `Replace ${placeholders.join(', ')} in the issuer URL`
    const urlError = schemaError(IssuerSettingSchema, url.trim())
    if (urlError) return url.trim() ? `Issuer URL ${urlError}` : 'Enter the issuer URL'
  }
  const audienceError = audience.trim() ? schemaError(AudienceSchema, audience.trim()) : null
  return audienceError ? `Audience: ${audienceError}` : null
}

export function IssuerCard() {
  const auth = useWorkbench((s) => s.app!.config.auth)
  const status = useWorkbench((s) => s.app!.status)
  // The feature reads "not selected" while another issuer is in force: switching to it is what this
  // card is for.
  const devFeatureReason = useFeatureReason('devIssuer')
  const devReason = status.issuer.kind === 'dev' ? devFeatureReason : null
  const checkReason = useFeatureReason('issuerCheck')
  const current = selectedIssuer(auth)
  const currentMode: Mode = current === 'dev' || current === 'off' ? current : 'external'
  const [mode, setMode] = useState<Mode>(currentMode)
  const [url, setUrl] = useState(currentMode === 'external' ? current : '')
  const [audience, setAudience] = useState(auth.audience ?? '')
  const [report, setReport] = useState<IssuerCheckReport | null>(null)
  const [checking, setChecking] = useState(false)
  const [preset, setPreset] = useState<IssuerPreset | null>(null)
  const urlRef = useRef<HTMLInputElement>(null)
  const applyPreset = (next: IssuerPreset): void => {
    const presetUrl = presetStartUrl(next)
    setUrl(presetUrl)
    setPreset(next)
    // Select the first placeholder (TENANT, DOMAIN…) so typing replaces it.
    requestAnimationFrame(() => {
      const input = urlRef.current
      const first = unfilledPlaceholders(next, presetUrl)[0]
      if (!input || !first) return
      input.focus()
      const at = presetUrl.indexOf(first)
      input.setSelectionRange(at, at + first.length)
    })
  }
  const formError = issuerFormError(mode, url, audience, preset)
  const urlValid = mode === 'external' && formError === null
  const dirty =
    mode !== currentMode ||
    (mode === 'external' && url !== current) ||
    audience !== (auth.audience ?? '')
  const save = (): void => {
    const issuer = mode === 'external' ? url.trim() : mode
    void updateConfig({ auth: { issuer, audience: audience.trim() || null } }, 'the issuer')
  }
  const targetForCheck =
    mode === 'external'
      ? urlValid
        ? url.trim()
        : null
      : mode === status.issuer.kind
        ? status.issuer.issuer
        : null
  const runCheck = (): void => {
    if (!targetForCheck) return
    setChecking(true)
    void checkIssuer(targetForCheck)
      .then((r) => setReport(r))
      .finally(() => setChecking(false))
  }
  const saveReason =
    mode === 'dev' && devReason ? devReason : (formError ?? (!dirty ? 'No changes' : null))
  return (
    <Card
      title="Issuer"
      actions={
        <Badge
          tone={
            status.issuer.state === 'ready'
              ? 'ok'
              : status.issuer.state === 'failed'
                ? 'bad'
                : 'neutral'
          }
        >
          {status.issuer.state}
        </Badge>
      }
    >
      <Segmented<Mode>
        label="Issuer mode"
        value={mode}
        onChange={setMode}
        options={[
          {
            value: 'dev',
            label: 'Development issuer',
            hint: 'Built in: test users, no account needed',
          },
          {
            value: 'external',
            label: 'External',
            hint: 'Auth0, Okta, Entra ID, Cognito, Keycloak…',
          },
          { value: 'off', label: 'Off', hint: 'No auth: every widget is public' },
        ]}
      />
      {mode === 'dev' && <UnavailableNote reason={devReason} />}
      {mode === 'dev' && !devReason && status.issuer.kind !== 'dev' && (
        <p className="muted small">
          Save to switch to the built-in issuer: test users, no account needed.
        </p>
      )}
      {mode === 'dev' && !devReason && status.issuer.kind === 'dev' && (
        <p className="muted small">
          Tokens come from the built-in issuer
          {status.issuer.issuer ? (
            <>
              {' '}
              at <code>{status.issuer.issuer}</code>
            </>
          ) : (
            ''
          )}
          . Sign in as a test user below.
        </p>
      )}
      {mode === 'off' && (
        <p className="muted small">
          Auth off: widgets set to Inherit become public and no token is checked.
        </p>
      )}
      {mode === 'external' && (
        <>
          <div className="presets" role="group" aria-label="Issuer presets">
            {ISSUER_PRESETS.map((p) => (
              <button
                key={p.provider}
                type="button"
                className={`button button-small ${preset === p ? 'button-selected' : ''}`}
                onClick={() => applyPreset(p)}
              >
                {p.label}
              </button>
            ))}
          </div>
          <Field
            label="Issuer URL"
            hint={
              preset ? preset.audienceHint : 'The exact issuer identifier your tokens carry in iss.'
            }
          >
            <input
              ref={urlRef}
              className="mono"
              aria-label="Issuer URL"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://TENANT.us.auth0.com/"
              spellCheck={false}
            />
          </Field>
        </>
      )}
      {mode !== 'off' && (
        <Field
          label="Audience"
          hint={
            <>
              Empty: the resource URL, now <code>{status.resource}</code>.
            </>
          }
        >
          <input
            className="mono"
            value={audience}
            onChange={(e) => setAudience(e.target.value)}
            placeholder={status.audience}
            spellCheck={false}
          />
        </Field>
      )}
      <div className="row-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={saveReason !== null}
          title={saveReason ?? undefined}
          onClick={save}
        >
          Save
        </button>
        <button
          type="button"
          className="button"
          disabled={checkReason !== null || !targetForCheck || checking}
          title={
            checkReason ??
            (!targetForCheck
              ? mode === 'external'
                ? 'Enter the issuer URL first'
                : 'No issuer to check'
              : undefined)
          }
          onClick={runCheck}
        >
          {checking ? 'Checking…' : 'Check issuer'}
        </button>
        {saveReason && saveReason !== 'No changes' && (
          <span className="unavailable inline">⊘ {saveReason}</span>
        )}
      </div>
      <UnavailableNote reason={checkReason} />
      {status.issuer.error && <p className="inline-error">{status.issuer.error}</p>}
      {report && (
        <div className="findings">
          <h3>
            Findings for <code>{report.url}</code>{' '}
            <span className="muted small">({report.provider})</span>
          </h3>
          <ul>
            {report.findings.map((f) => (
              <li key={f.id} className={`finding finding-${f.level}`}>
                <Badge
                  tone={
                    f.level === 'ok'
                      ? 'ok'
                      : f.level === 'warn'
                        ? 'warn'
                        : f.level === 'error'
                          ? 'bad'
                          : 'info'
                  }
                >
                  {f.level}
                </Badge>
                <div>
                  <strong>{f.title}</strong>
                  <p className="small">{f.detail}</p>
                  {f.fix && <p className="small fix">Fix: {f.fix}</p>}
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  )
}
