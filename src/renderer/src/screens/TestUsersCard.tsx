import { useState } from 'react'
import { TestUserSchema, type TestUser } from '../../../shared/config'
import { ChipsInput } from '../components/ChipsInput'
import { Card } from '../components/Field'
import { TableHead } from '../components/TableHead'
import { UnavailableNote, useFeatureReason } from '../components/Unavailable'
import { updateConfig } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import { schemaError, validateScope } from './formValidation'

const EDITABLE = [
  ['name', 'Name'],
  ['email', 'Email'],
] as const
const DRAFT_FIELDS = [
  ['subject', 'New subject', 'dev|carol'],
  ['name', 'New name', 'Carol'],
  ['email', 'New email', 'carol@example.test'],
] as const

export function TestUsersCard() {
  const users = useWorkbench((s) => s.app!.config.devIssuer.users)
  const reason = useFeatureReason('devIssuer')
  const [draft, setDraft] = useState<TestUser>({
    subject: '',
    name: '',
    email: '',
    permissions: ['user'],
  })
  const save = (next: TestUser[]): void =>
    void updateConfig({ devIssuer: { users: next } }, 'the test users')
  const patchUser = (i: number, patch: Partial<TestUser>): void =>
    save(users.map((u, j) => (j === i ? { ...u, ...patch } : u)))
  const candidate = {
    ...draft,
    subject: draft.subject.trim(),
    name: draft.name.trim(),
    email: draft.email.trim(),
  }
  const addReason =
    !candidate.subject || !candidate.name || !candidate.email
      ? 'Fill subject, name and email'
      : users.some((u) => u.subject === candidate.subject)
        ? 'That subject exists'
        : schemaError(TestUserSchema, candidate)
  return (
    <Card title="Test users (development issuer)">
      <UnavailableNote reason={reason} />
      <table className="users">
        <TableHead columns={['Subject', 'Name', 'Email', 'Permissions', '']} />
        <tbody>
          {users.map((u, i) => (
            <tr key={u.subject}>
              <td className="mono">{u.subject}</td>
              {EDITABLE.map(([field, label]) => (
                <td key={field}>
                  <EditOnBlur
                    value={u[field]}
                    label={`${label} of ${u.subject}`}
                    onChange={(value) => patchUser(i, { [field]: value })}
                  />
                </td>
              ))}
              <td>
                <ChipsInput
                  label={`Permissions of ${u.subject}`}
                  values={u.permissions}
                  validate={validateScope}
                  onChange={(permissions) => patchUser(i, { permissions })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="button button-small button-ghost"
                  disabled={users.length <= 1}
                  title={
                    users.length <= 1 ? 'At least one test user is needed' : `Remove ${u.subject}`
                  }
                  onClick={() => save(users.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
          <tr className="new-user">
            {DRAFT_FIELDS.map(([field, label, placeholder]) => (
              <td key={field}>
                <DraftInput
                  draft={draft}
                  field={field}
                  label={label}
                  placeholder={placeholder}
                  onChange={setDraft}
                />
              </td>
            ))}
            <td>
              <ChipsInput
                label="New permissions"
                values={draft.permissions}
                validate={validateScope}
                onChange={(permissions) => setDraft({ ...draft, permissions })}
              />
            </td>
            <td>
              <button
                type="button"
                className="button button-small"
                disabled={addReason !== null}
                title={addReason ?? 'Add this test user'}
                onClick={() => {
                  save([...users, candidate])
                  setDraft({ subject: '', name: '', email: '', permissions: ['user'] })
                }}
              >
                Add
              </button>
            </td>
          </tr>
        </tbody>
      </table>
    </Card>
  )
}

/** An existing user's field: saved on blur when it changed and is not blank. */
function EditOnBlur(props: { value: string; label: string; onChange: (value: string) => void }) {
  return (
    <input
      defaultValue={props.value}
      aria-label={props.label}
      onBlur={(e) => {
        const next = e.target.value.trim()
        if (next && e.target.value !== props.value) props.onChange(next)
      }}
    />
  )
}

function DraftInput(props: {
  draft: TestUser
  field: 'subject' | 'name' | 'email'
  label: string
  placeholder: string
  onChange: (draft: TestUser) => void
}) {
  const { draft, field } = props
  return (
    <input
      className={field === 'subject' ? 'mono' : undefined}
      placeholder={props.placeholder}
      aria-label={props.label}
      value={draft[field]}
      onChange={(e) => props.onChange({ ...draft, [field]: e.target.value })}
    />
  )
}
