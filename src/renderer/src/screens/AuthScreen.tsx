import { useRef, useState } from 'react'
import { ScopeSchema, selectedIssuer, type TestUser } from '../../../shared/config'
import type { IssuerCheckReport } from '../../../shared/issuerTypes'
import { ChipsInput } from '../components/ChipsInput'
import { Card, Field } from '../components/Field'
import { Segmented } from '../components/Segmented'
import { UnavailableNote, useFeatureReason } from '../components/Unavailable'
import { Badge } from '../components/VerdictBadge'
import { checkIssuer, updateConfig } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import { ISSUER_PRESETS } from './issuerPresets'
import { ScreenHeader } from './ScreenHeader'

type Mode = 'dev' | 'off' | 'external'
const validateScope = (t: string): string | null => (ScopeSchema.safeParse(t).success ? null : `"${t}" is not a valid scope`)

function IssuerCard() {
  const auth = useWorkbench((s) => s.app!.config.auth)
  const status = useWorkbench((s) => s.app!.status)
  // The feature reads "not selected" while another issuer is in force: switching to it is what this card is for.
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
  const [preset, setPreset] = useState<string | null>(null)
  const urlRef = useRef<HTMLInputElement>(null)
  const applyPreset = (id: string, presetUrl: string): void => {
    setUrl(presetUrl)
    setPreset(id)
    // Select the first placeholder (TENANT, YOUR_DOMAIN…) so typing replaces it.
    requestAnimationFrame(() => {
      const input = urlRef.current
      const match = /[A-Z][A-Z_]{3,}/.exec(presetUrl)
      if (!input || !match) return
      input.focus()
      input.setSelectionRange(match.index, match.index + match[0].length)
    })
  }
  const urlValid = /^https?:\/\/[^\s]+$/.test(url) && !/[A-Z_]{4,}/.test(url.replace(/^https?:\/\//, '').split('/')[0])
  const dirty = mode !== currentMode || (mode === 'external' && url !== current) || audience !== (auth.audience ?? '')
  const save = (): void => {
    const issuer = mode === 'external' ? url.trim() : mode
    void updateConfig({ auth: { issuer, issuerUrl: null, ...(audience.trim() ? { audience: audience.trim() } : { audience: null }) } }, 'the issuer')
  }
  const targetForCheck = mode === 'external' ? (urlValid ? url.trim() : null) : mode === status.issuer.kind ? status.issuer.issuer : null
  const runCheck = (): void => {
    if (!targetForCheck) return
    setChecking(true)
    void checkIssuer(targetForCheck).then((r) => setReport(r)).finally(() => setChecking(false))
  }
  const saveReason = mode === 'dev' && devReason ? devReason : mode === 'external' && !urlValid ? 'Enter the issuer URL (replace the placeholder parts)' : !dirty ? 'No changes' : null
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
      {mode === 'dev' && !devReason && status.issuer.kind === 'dev' && <p className="muted small">Tokens come from the built-in issuer{status.issuer.issuer ? <> at <code>{status.issuer.issuer}</code></> : ''}. Sign in as a test user below.</p>}
      {mode === 'dev' && !devReason && status.issuer.kind !== 'dev' && <p className="muted small">Save to switch to the built-in issuer: test users, no account needed.</p>}
      {mode === 'off' && <p className="muted small">Auth off: widgets set to Inherit become public and no token is checked.</p>}
      {mode === 'external' && (
        <>
          <div className="presets" role="group" aria-label="Issuer presets">
            {ISSUER_PRESETS.map((p) => (
              <button key={p.id} type="button" className={`button button-small ${preset === p.id ? 'button-selected' : ''}`} onClick={() => applyPreset(p.id, p.url)}>{p.label}</button>
            ))}
          </div>
          <Field label="Issuer URL" hint={preset ? ISSUER_PRESETS.find((p) => p.id === preset)?.note : 'The exact issuer identifier your tokens carry in iss.'}>
            <input ref={urlRef} className="mono" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://TENANT.us.auth0.com/" spellCheck={false} />
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
  const addReason = !draft.subject.trim() || !draft.name.trim() || !draft.email.trim() ? 'Fill subject, name and email' : users.some((u) => u.subject === draft.subject.trim()) ? 'That subject exists' : null
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
              <button type="button" className="button button-small" disabled={addReason !== null} title={addReason ?? 'Add this test user'} onClick={() => { save([...users, { ...draft, subject: draft.subject.trim(), name: draft.name.trim(), email: draft.email.trim() }]); setDraft({ subject: '', name: '', email: '', permissions: ['user'] }) }}>Add</button>
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
