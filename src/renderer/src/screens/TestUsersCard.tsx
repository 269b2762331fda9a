import { useState } from 'react'
import { TestUserSchema, type TestUser } from '../../../shared/config'
import { ChipsInput } from '../components/ChipsInput'
import { Card } from '../components/Field'
import { UnavailableNote, useFeatureReason } from '../components/Unavailable'
import { updateConfig } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import { schemaError, validateScope } from './formValidation'

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
        <thead>
          <tr>
            <th>Subject</th>
            <th>Name</th>
            <th>Email</th>
            <th>Permissions</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u, i) => (
            <tr key={u.subject}>
              <td className="mono">{u.subject}</td>
              <td>
                <input
                  defaultValue={u.name}
                  aria-label={`Name of ${u.subject}`}
                  onBlur={(e) =>
                    e.target.value.trim() &&
                    e.target.value !== u.name &&
                    patchUser(i, { name: e.target.value.trim() })
                  }
                />
              </td>
              <td>
                <input
                  defaultValue={u.email}
                  aria-label={`Email of ${u.subject}`}
                  onBlur={(e) =>
                    e.target.value.trim() &&
                    e.target.value !== u.email &&
                    patchUser(i, { email: e.target.value.trim() })
                  }
                />
              </td>
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
            <td>
              <input
                className="mono"
                placeholder="dev|carol"
                aria-label="New subject"
                value={draft.subject}
                onChange={(e) => setDraft({ ...draft, subject: e.target.value })}
              />
            </td>
            <td>
              <input
                placeholder="Carol"
                aria-label="New name"
                value={draft.name}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              />
            </td>
            <td>
              <input
                placeholder="carol@example.test"
                aria-label="New email"
                value={draft.email}
                onChange={(e) => setDraft({ ...draft, email: e.target.value })}
              />
            </td>
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
