import { useState } from 'react'
import { FORGE_VARIANTS, ForgeVariantSchema, type ForgeVariant } from '../../../shared/issuerTypes'
import type { SCOPE_CLAIMS } from '../../../shared/tokenRules'
import { ChipsInput } from '../components/ChipsInput'
import { CopyButton } from '../components/CopyButton'
import { Card, Field } from '../components/Field'
import { UnavailableNote, useFeatureReason } from '../components/Unavailable'
import { forgeToken } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'

type ScopeClaim = (typeof SCOPE_CLAIMS)[number]

export function ForgePanel() {
  const reason = useFeatureReason('forge')
  const users = useWorkbench((s) => s.app!.config.devIssuer.users)
  const issuerKind = useWorkbench((s) => s.app!.status.issuer.kind)
  // The forged token counts only while it is the one on screen: a pasted token replaces it.
  const forged = useWorkbench((s) =>
    s.forged && s.tokenText.trim() === s.forged.token ? s.forged : null,
  )
  const setScreen = useWorkbench((s) => s.setScreen)
  const setPreviewIdentity = useWorkbench((s) => s.setPreviewIdentity)
  const [subject, setSubject] = useState(users[0]?.subject ?? 'dev|alice')
  const [scopes, setScopes] = useState<string[]>(users[0]?.permissions ?? ['user'])
  const [scopeClaim, setScopeClaim] = useState<ScopeClaim>('scope')
  const [lifetime, setLifetime] = useState(3600)
  const [audience, setAudience] = useState('')
  const [busy, setBusy] = useState<ForgeVariant | null>(null)
  const externalNote =
    issuerKind === 'external'
      ? 'With an external issuer only broken or unsigned variants can be forged: its private ' +
        'key is not here.'
      : null
  const user = users.find((u) => u.subject === subject)
  const mint = (variant: ForgeVariant): void => {
    setBusy(variant)
    void forgeToken({
      variant,
      subject,
      name: user?.name,
      email: user?.email,
      scopes,
      scopeClaim,
      lifetimeSec: lifetime,
      audience: audience.trim() || undefined,
    }).finally(() => setBusy(null))
  }
  return (
    <Card title="Forge a token" className="forge">
      <UnavailableNote reason={reason} />
      {externalNote && <p className="muted small">{externalNote}</p>}
      <div className="form-grid">
        <Field label="Subject">
          <input
            list="forge-subjects"
            value={subject}
            disabled={reason !== null}
            onChange={(e) => {
              setSubject(e.target.value)
              const u = users.find((x) => x.subject === e.target.value)
              if (u) setScopes(u.permissions)
            }}
          />
          <datalist id="forge-subjects">
            {users.map((u) => (
              <option key={u.subject} value={u.subject}>
                {u.name}
              </option>
            ))}
          </datalist>
        </Field>
        <Field label="Scopes claim">
          <select
            value={scopeClaim}
            disabled={reason !== null}
            onChange={(e) => setScopeClaim(e.target.value as typeof scopeClaim)}
          >
            <option value="scope">scope (space-delimited)</option>
            <option value="scp">scp (array)</option>
            <option value="permissions">permissions (Auth0)</option>
          </select>
        </Field>
        <Field label="Lifetime (seconds)">
          <input
            type="number"
            min={1}
            max={604800}
            value={lifetime}
            disabled={reason !== null}
            onChange={(e) => setLifetime(Math.max(1, Number(e.target.value) || 1))}
          />
        </Field>
        <Field label="Audience" hint="Empty: the server's audience">
          <input
            className="mono"
            value={audience}
            disabled={reason !== null}
            placeholder="(server audience)"
            onChange={(e) => setAudience(e.target.value)}
          />
        </Field>
      </div>
      <Field label="Scopes">
        <ChipsInput
          label="Forged token scopes"
          values={scopes}
          onChange={setScopes}
          disabled={reason !== null}
          placeholder="user read:data …"
        />
      </Field>
      <div className="variant-buttons" role="group" aria-label="Forge variants">
        {ForgeVariantSchema.options.map((variant) => (
          <button
            key={variant}
            type="button"
            className={[
              'button',
              variant === 'valid' ? 'button-primary' : '',
              forged?.variant === variant ? 'button-selected' : '',
            ].join(' ')}
            aria-pressed={forged?.variant === variant}
            disabled={reason !== null || busy !== null}
            title={reason ?? FORGE_VARIANTS[variant].hint}
            onClick={() => mint(variant)}
          >
            {busy === variant ? 'Minting…' : FORGE_VARIANTS[variant].label}
          </button>
        ))}
      </div>
      {forged && (
        <div className="forged">
          <div className="forged-head">
            <span>
              On screen: forged <strong>{forged.label}</strong> token — expected:{' '}
              {forged.expectation}
              {forged.signedByIssuer ? '' : ' (not signed by the issuer)'}
            </span>
            <span className="card-actions">
              <CopyButton text={forged.token} label="Copy token" />
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  setPreviewIdentity({ kind: 'token', token: forged.token, label: 'forged' })
                  setScreen('preview')
                }}
              >
                Use in Preview
              </button>
            </span>
          </div>
        </div>
      )}
    </Card>
  )
}
