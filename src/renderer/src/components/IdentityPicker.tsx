import { useState } from 'react'
import type { IdentityChoice } from '../../../shared/contract'
import { useWorkbench } from '../store/useWorkbench'

/** Stable key of a choice for a `<select>`. */
export function identityKey(choice: IdentityChoice): string {
  switch (choice.kind) {
    case 'anonymous':
      return 'anonymous'
    case 'connect':
      return 'connect'
    case 'testUser':
      return `user:${choice.subject}`
    case 'token':
      return choice.label === 'forged' ? 'forged' : 'pasted'
  }
}

/** Anonymous, a test user, the Connect identity, the last forged token or a pasted one; unavailable ones say why. */
export function IdentityPicker({
  value,
  onChange,
  label = 'Identity',
}: {
  value: IdentityChoice
  onChange: (choice: IdentityChoice) => void
  label?: string
}) {
  const users = useWorkbench((s) => s.app!.config.devIssuer.users)
  const issuerKind = useWorkbench((s) => s.app!.status.issuer.kind)
  const devIssuer = useWorkbench((s) => s.app!.features.devIssuer)
  const connect = useWorkbench((s) => s.app!.connect)
  const forged = useWorkbench((s) => s.forged)
  const [pasted, setPasted] = useState(
    value.kind === 'token' && value.label !== 'forged' ? value.token : '',
  )
  const usersReason = !devIssuer.available
    ? (devIssuer.reason ?? 'development issuer unavailable')
    : issuerKind !== 'dev'
      ? 'test users need the development issuer'
      : null
  const connectReason = connect.state === 'connected' ? null : 'sign in with Connect first'
  const key = identityKey(value)
  const choose = (k: string): void => {
    if (k === 'anonymous') onChange({ kind: 'anonymous' })
    else if (k === 'connect') onChange({ kind: 'connect' })
    else if (k === 'forged' && forged)
      onChange({ kind: 'token', token: forged.token, label: 'forged' })
    else if (k === 'pasted')
      onChange(
        pasted
          ? { kind: 'token', token: pasted, label: 'pasted' }
          : { kind: 'token', token: ' ', label: 'pasted' },
      )
    else if (k.startsWith('user:')) onChange({ kind: 'testUser', subject: k.slice(5) })
  }
  return (
    <div className="identity-picker">
      <label className="field">
        <span className="field-label">{label}</span>
        <select value={key} onChange={(e) => choose(e.target.value)}>
          <option value="anonymous">Anonymous (no token)</option>
          <optgroup
            label={usersReason ? `Test users — ${usersReason}` : 'Test users (development issuer)'}
          >
            {users.map((u) => (
              <option key={u.subject} value={`user:${u.subject}`} disabled={usersReason !== null}>
                {u.name} · {u.permissions.join(' ') || 'no permissions'}
              </option>
            ))}
          </optgroup>
          <option value="connect" disabled={connectReason !== null}>
            {connect.state === 'connected'
              ? `Connect identity (${connect.identity?.subject ?? 'signed in'})`
              : `Connect identity — ${connectReason}`}
          </option>
          <option value="forged" disabled={!forged}>
            {forged ? `Forged token: ${forged.label}` : 'Forged token — forge one on Tokens'}
          </option>
          <option value="pasted">Pasted token…</option>
        </select>
      </label>
      {key === 'pasted' && (
        <label className="field">
          <span className="field-label">Token</span>
          <input
            className="mono"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="eyJ…"
            value={pasted}
            onChange={(e) => {
              setPasted(e.target.value)
              if (e.target.value.trim())
                onChange({ kind: 'token', token: e.target.value.trim(), label: 'pasted' })
            }}
          />
        </label>
      )}
    </div>
  )
}

/** A choice is ready to send when a pasted token is not blank. */
export function isIdentityReady(choice: IdentityChoice): boolean {
  return choice.kind !== 'token' || choice.token.trim().length > 0
}
