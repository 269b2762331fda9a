import { useRef, useState } from 'react'
import {
  AudienceSchema,
  IssuerSettingSchema,
  ScopeSchema,
  selectedIssuer,
  TestUserSchema,
  type TestUser,
} from '../../../shared/config'
import type { IssuerCheckReport } from '../../../shared/issuerTypes'
import { ISSUER_PRESETS, presetStartUrl, unfilledPlaceholders, type IssuerPreset } from '../../../shared/tokenRules'
import { ChipsInput } from '../components/ChipsInput'
import { Card, Field } from '../components/Field'
import { Segmented } from '../components/Segmented'
import { UnavailableNote, useFeatureReason } from '../components/Unavailable'
import { Badge } from '../components/VerdictBadge'
import { checkIssuer, updateConfig } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import { ScreenHeader } from './ScreenHeader'

type Mode = 'dev' | 'off' | 'external'
/** The first message of a shared schema's refusal, or null when the value passes. */
function schemaError(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown): string | null {
  const result = schema.safeParse(value)
  return result.success ? null : (result.error?.issues[0]?.message ?? 'invalid')
}
const validateScope = (t: string): string | null => (schemaError(ScopeSchema, t) ? `"${t}" is not a valid scope` : null)

/** Why the issuer form cannot be saved, by the config's own schemas; null when it can. */
function issuerFormError(mode: Mode, url: string, audience: string, preset: IssuerPreset | null): string | null {
  if (mode === 'external') {
    const placeholders = preset ? unfilledPlaceholders(preset, url) : []
    if (placeholders.length) return `Replace ${placeholders.join(', ')} in the issuer URL`
    const urlError = schemaError(IssuerSettingSchema, url.trim())
    if (urlError) return url.trim() ? `Issuer URL ${urlError}` : 'Enter the issuer URL'
  }
  const audienceError = audience.trim() ? schemaError(AudienceSchema, audience.trim()) : null
  return audienceError ? `Audience: ${audienceError}` : null
}

function IssuerCard() {
  const auth = useWorkbench((s) => s.app!.config.auth)
  const status = useWorkbench((s) => s.app!.status)
  const devReason = useFeatureReason('devIssuer')
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
  const dirty = mode !== currentMode || (mode === 'external' && url !== current) || audience !== (auth.audience ?? '')
  const save = (): void => {
    const issuer = mode === 'external' ? url.trim() : mode
    void updateConfig({ auth: { issuer, audience: audience.trim() || null } }, 'the issuer')
  }
  const targetForCheck = mode === 'external' ? (urlValid ? url.trim() : null) : status.issuer.issuer
  const runCheck = (): void => {
    if (!targetForCheck) return
    setChecking(true)
    void checkIssuer(targetForCheck).then((r) => setReport(r)).finally(() => setChecking(false))
  }
  const saveReason = mode === 'dev' && devReason ? devReason : formError ?? (!dirty ? 'No changes' : null)
  return (
    <Card title="Issuer" actions={<Badge tone={status.issuer.state === 'ready' ? 'ok' : status.issuer.state === 'failed' ? 'bad' : 'neutral'}>{status.issuer.state}</Badge>}>
      <Segmented<Mode>
        label="Issuer mode"
        value={mode}
        onChange={setMode}
        options={[
          { value: 'dev', label: 'Development issuer', hint: 'Built in: test users, no account needed' },
          { value: 'external', label: 'External', hint: 'Auth0, Okta, Entra ID, Cognito, Keycloak…' },
          { value: 'off', label: 'Off', hint: 'No auth: every widget is public' },
        ]}
      />
      {mode === 'dev' && <UnavailableNote reason={devReason} />}
      {mode === 'dev' && !devReason && <p className="muted small">Tokens come from the built-in issuer{status.issuer.issuer ? <> at <code>{status.issuer.issuer}</code></> : ''}. Sign in as a test user below.</p>}
      {mode === 'off' && <p className="muted small">Auth off: widgets set to Inherit become public and no token is checked.</p>}
      {mode === 'external' && (
        <>
          <div className="presets" role="group" aria-label="Issuer presets">
            {ISSUER_PRESETS.map((p) => (
              <button key={p.provider} type="button" className={`button button-small ${preset === p ? 'button-selected' : ''}`} onClick={() => applyPreset(p)}>{p.label}</button>
            ))}
          </div>
          <Field label="Issuer URL" hint={preset ? preset.audienceHint : 'The exact issuer identifier your tokens carry in iss.'}>
            <input ref={urlRef} className="mono" aria-label="Issuer URL" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://TENANT.us.auth0.com/" spellCheck={false} />
          </Field>
        </>
      )}
      {mode !== 'off' && (
        <Field label="Audience" hint={<>Empty: the resource URL, now <code>{status.resource}</code>.</>}>
          <input className="mono" value={audience} onChange={(e) => setAudience(e.target.value)} placeholder={status.audience} spellCheck={false} />
        </Field>
      )}
      <div className="row-actions">
        <button type="button" className="button button-primary" disabled={saveReason !== null} title={saveReason ?? undefined} onClick={save}>Save</button>
        <button type="button" className="button" disabled={checkReason !== null || !targetForCheck || checking} title={checkReason ?? (!targetForCheck ? (mode === 'external' ? 'Enter the issuer URL first' : 'No issuer to check') : undefined)} onClick={runCheck}>
          {checking ? 'Checking…' : 'Check issuer'}
        </button>
        {saveReason && saveReason !== 'No changes' && <span className="unavailable inline">⊘ {saveReason}</span>}
      </div>
      <UnavailableNote reason={checkReason} />
      {status.issuer.error && <p className="inline-error">{status.issuer.error}</p>}
      {report && (
        <div className="findings">
          <h3>Findings for <code>{report.url}</code> <span className="muted small">({report.provider})</span></h3>
          <ul>
            {report.findings.map((f) => (
              <li key={f.id} className={`finding finding-${f.level}`}>
                <Badge tone={f.level === 'ok' ? 'ok' : f.level === 'warn' ? 'warn' : f.level === 'error' ? 'bad' : 'info'}>{f.level}</Badge>
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

function ScopesCard() {
  const requiredScopes = useWorkbench((s) => s.app!.config.auth.requiredScopes)
  return (
    <Card title="Default scopes">
      <p className="muted small">Scopes required by widgets set to Inherit when auth is on.</p>
      <ChipsInput label="Default scopes" values={requiredScopes} validate={validateScope} placeholder="user read:data" onChange={(next) => void updateConfig({ auth: { requiredScopes: next } }, 'the default scopes')} />
    </Card>
  )
}

function TestUsersCard() {
  const users = useWorkbench((s) => s.app!.config.devIssuer.users)
  const reason = useFeatureReason('devIssuer')
  const [draft, setDraft] = useState<TestUser>({ subject: '', name: '', email: '', permissions: ['user'] })
  const save = (next: TestUser[]): void => void updateConfig({ devIssuer: { users: next } }, 'the test users')
  const patchUser = (i: number, patch: Partial<TestUser>): void => save(users.map((u, j) => (j === i ? { ...u, ...patch } : u)))
  const candidate = { ...draft, subject: draft.subject.trim(), name: draft.name.trim(), email: draft.email.trim() }
  const addReason = !candidate.subject || !candidate.name || !candidate.email ? 'Fill subject, name and email'
    : users.some((u) => u.subject === candidate.subject) ? 'That subject exists'
      : schemaError(TestUserSchema, candidate)
  return (
    <Card title="Test users (development issuer)">
      <UnavailableNote reason={reason} />
      <table className="users">
        <thead><tr><th>Subject</th><th>Name</th><th>Email</th><th>Permissions</th><th /></tr></thead>
        <tbody>
          {users.map((u, i) => (
            <tr key={u.subject}>
              <td className="mono">{u.subject}</td>
              <td><input defaultValue={u.name} aria-label={`Name of ${u.subject}`} onBlur={(e) => e.target.value.trim() && e.target.value !== u.name && patchUser(i, { name: e.target.value.trim() })} /></td>
              <td><input defaultValue={u.email} aria-label={`Email of ${u.subject}`} onBlur={(e) => e.target.value.trim() && e.target.value !== u.email && patchUser(i, { email: e.target.value.trim() })} /></td>
              <td><ChipsInput label={`Permissions of ${u.subject}`} values={u.permissions} validate={validateScope} onChange={(permissions) => patchUser(i, { permissions })} /></td>
              <td>
                <button type="button" className="button button-small button-ghost" disabled={users.length <= 1} title={users.length <= 1 ? 'At least one test user is needed' : `Remove ${u.subject}`} onClick={() => save(users.filter((_, j) => j !== i))}>Remove</button>
              </td>
            </tr>
          ))}
          <tr className="new-user">
            <td><input className="mono" placeholder="dev|carol" aria-label="New subject" value={draft.subject} onChange={(e) => setDraft({ ...draft, subject: e.target.value })} /></td>
            <td><input placeholder="Carol" aria-label="New name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></td>
            <td><input placeholder="carol@example.test" aria-label="New email" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} /></td>
            <td><ChipsInput label="New permissions" values={draft.permissions} validate={validateScope} onChange={(permissions) => setDraft({ ...draft, permissions })} /></td>
            <td>
              <button type="button" className="button button-small" disabled={addReason !== null} title={addReason ?? 'Add this test user'} onClick={() => { save([...users, candidate]); setDraft({ subject: '', name: '', email: '', permissions: ['user'] }) }}>Add</button>
            </td>
          </tr>
        </tbody>
      </table>
    </Card>
  )
}

export function AuthScreen() {
  return (
    <div className="screen">
      <ScreenHeader title="Auth" subtitle="Where tokens come from and what the server expects of them. Saved to the config file and applied live." />
      <div className="grid-2">
        <IssuerCard />
        <div className="stack">
          <ScopesCard />
        </div>
      </div>
      <TestUsersCard />
    </div>
  )
}
