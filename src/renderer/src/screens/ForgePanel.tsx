import { useState } from 'react'
import type { ForgeVariant } from '../../../shared/issuerTypes'
import { ChipsInput } from '../components/ChipsInput'
import { CopyButton } from '../components/CopyButton'
import { Card, Field } from '../components/Field'
import { UnavailableNote, useFeatureReason } from '../components/Unavailable'
import { forgeToken } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'

const VARIANTS: { variant: ForgeVariant; label: string; hint: string }[] = [
  { variant: 'valid', label: 'Valid', hint: 'Signed by the development issuer, right audience, live' },
  { variant: 'expired', label: 'Expired', hint: 'exp in the past' },
  { variant: 'notYetValid', label: 'Not yet valid', hint: 'nbf in the future' },
  { variant: 'wrongAudience', label: 'Wrong audience', hint: 'aud is another API' },
  { variant: 'wrongIssuer', label: 'Wrong issuer', hint: 'iss is someone else' },
  { variant: 'badSignature', label: 'Bad signature', hint: 'signature bytes tampered' },
  { variant: 'algNone', label: 'alg: none', hint: 'unsigned token' },
  { variant: 'missingScope', label: 'Missing scope', hint: 'valid but without the scopes widgets need' },
]

export function ForgePanel() {
  const reason = useFeatureReason('forge')
  const users = useWorkbench((s) => s.app!.config.devIssuer.users)
  const issuerKind = useWorkbench((s) => s.app!.status.issuer.kind)
  const forged = useWorkbench((s) => s.forged)
  const setScreen = useWorkbench((s) => s.setScreen)
  const setPreviewIdentity = useWorkbench((s) => s.setPreviewIdentity)
  const [subject, setSubject] = useState(users[0]?.subject ?? 'dev|alice')
  const [scopes, setScopes] = useState<string[]>(users[0]?.permissions ?? ['user'])
  const [scopeClaim, setScopeClaim] = useState<'scope' | 'scp' | 'permissions'>('scope')
  const [lifetime, setLifetime] = useState(3600)
  const [audience, setAudience] = useState('')
  const [busy, setBusy] = useState<ForgeVariant | null>(null)
  const externalNote = issuerKind === 'external' ? 'With an external issuer only broken or unsigned variants can be forged: its private key is not here.' : null
  const user = users.find((u) => u.subject === subject)
  const mint = (variant: ForgeVariant): void => {
    setBusy(variant)
    void forgeToken({ variant, subject, name: user?.name, email: user?.email, scopes, scopeClaim, lifetimeSec: lifetime, audience: audience.trim() || undefined }).finally(() => setBusy(null))
  }
  return (
    <Card title="Forge a token" className="forge">
      <UnavailableNote reason={reason} />
      {externalNote && <p className="muted small">{externalNote}</p>}
      <div className="form-grid">
        <Field label="Subject">
          <input list="forge-subjects" value={subject} disabled={reason !== null} onChange={(e) => {
            setSubject(e.target.value)
            const u = users.find((x) => x.subject === e.target.value)
            if (u) setScopes(u.permissions)
          }} />
          <datalist id="forge-subjects">{users.map((u) => <option key={u.subject} value={u.subject}>{u.name}</option>)}</datalist>
        </Field>
        <Field label="Scopes claim">
          <select value={scopeClaim} disabled={reason !== null} onChange={(e) => setScopeClaim(e.target.value as typeof scopeClaim)}>
            <option value="scope">scope (space-delimited)</option>
            <option value="scp">scp (array)</option>
            <option value="permissions">permissions (Auth0)</option>
          </select>
        </Field>
        <Field label="Lifetime (seconds)">
          <input type="number" min={1} max={604800} value={lifetime} disabled={reason !== null} onChange={(e) => setLifetime(Math.max(1, Number(e.target.value) || 1))} />
        </Field>
        <Field label="Audience" hint="Empty: the server's audience">
          <input className="mono" value={audience} disabled={reason !== null} placeholder="(server audience)" onChange={(e) => setAudience(e.target.value)} />
        </Field>
      </div>
      <Field label="Scopes">
        <ChipsInput label="Forged token scopes" values={scopes} onChange={setScopes} disabled={reason !== null} placeholder="user read:data …" />
      </Field>
      <div className="variant-buttons" role="group" aria-label="Forge variants">
        {VARIANTS.map((v) => (
          <button
            key={v.variant}
            type="button"
            className={`button ${v.variant === 'valid' ? 'button-primary' : ''}`}
            disabled={reason !== null || busy !== null}
            title={reason ?? v.hint}
            onClick={() => mint(v.variant)}
          >
            {busy === v.variant ? 'Minting…' : v.label}
          </button>
        ))}
      </div>
      {forged && (
        <div className="forged">
          <div className="forged-head">
            <span>Last forged: <strong>{forged.variant}</strong> — expected: {forged.expectation}{forged.signedByIssuer ? '' : ' (not signed by the issuer)'}</span>
            <span className="card-actions">
              <CopyButton text={forged.token} label="Copy token" />
              <button type="button" className="button button-small" onClick={() => { setPreviewIdentity({ kind: 'token', token: forged.token, label: 'forged' }); setScreen('preview') }}>Use in Preview</button>
            </span>
          </div>
        </div>
      )}
    </Card>
  )
}
