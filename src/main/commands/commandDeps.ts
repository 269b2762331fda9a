import type { IdentityChoice } from '../../shared/contract'
import type { Workbench } from '../core'
import type { ResolvedIdentity } from '../preview/callWidgetAs'

export interface CommandDeps {
  workbench: Workbench
  mode: 'electron' | 'browser'
  /** Who a preview call or replay runs as: a token minted, pasted, or from Connect. */
  resolveIdentity(choice: IdentityChoice): Promise<ResolvedIdentity>
}
