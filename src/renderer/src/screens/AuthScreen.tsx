import { ChipsInput } from '../components/ChipsInput'
import { Card } from '../components/Field'
import { updateConfig } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import { validateScope } from './formValidation'
import { IssuerCard } from './IssuerCard'
import { ScreenHeader } from './ScreenHeader'
import { TestUsersCard } from './TestUsersCard'

function ScopesCard() {
  const requiredScopes = useWorkbench((s) => s.app!.config.auth.requiredScopes)
  return (
    <Card title="Default scopes">
      <p className="muted small">Scopes required by widgets set to Inherit when auth is on.</p>
      <ChipsInput
        label="Default scopes"
        values={requiredScopes}
        validate={validateScope}
        placeholder="user read:data"
        onChange={(next) =>
          void updateConfig({ auth: { requiredScopes: next } }, 'the default scopes')
        }
      />
    </Card>
  )
}

export function AuthScreen() {
  return (
    <div className="screen">
      <ScreenHeader
        title="Auth"
        subtitle="Where tokens come from and what the server expects of them. Saved to the config file and applied live."
      />
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
