// oidc-provider 9 ships no type declarations; this covers the part the development issuer uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export interface InteractionDetails {
    uid: string
    prompt: {
      name: 'login' | 'consent' | string
      reasons: string[]
      details: Record<string, unknown>
    }
    params: Record<string, unknown> & {
      client_id?: string
      scope?: string
      resource?: string | string[]
    }
    session?: { accountId: string }
    grantId?: string
  }

  export interface GrantInstance {
    addOIDCScope(scope: string): void
    addOIDCClaims(claims: string[]): void
    rejectOIDCScope(scope: string): void
    addResourceScope(indicator: string, scope: string): void
    rejectResourceScope(indicator: string, scope: string): void
    save(): Promise<string>
  }

  export interface ClientInstance {
    clientId: string
    clientName?: string
    redirectUris: string[]
    grantTypeAllowed(grant: string): boolean
  }

  export class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>)
    readonly issuer: string
    proxy: boolean
    Grant: {
      new (init: { accountId: string; clientId: string }): GrantInstance
      find(id: string): Promise<GrantInstance | undefined>
    }
    Client: { find(id: string): Promise<ClientInstance | undefined> }
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>
    use(middleware: (ctx: any, next: () => Promise<void>) => Promise<void>): this
    on(event: string, listener: (...args: any[]) => void): this
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
  }

  export const errors: Record<string, new (description?: string) => Error>
}
