import type { TestUser } from '../../shared/config'
import type { HttpMount } from '../server/httpMount'
import type { IssuerSource } from './issuerSource'

/** What the core needs of the embedded development issuer (src/main/issuer implements it). */
export interface DevIssuer {
  source: IssuerSource
  /** Served on the MCP server's own origin, e.g. under `/oauth`. */
  mount: HttpMount
  /** The issuer identifier follows the public URL (tunnel); tokens for the old one then fail. */
  setBaseUrl(baseUrl: string): Promise<void>
  setUsers(users: TestUser[]): void
  close(): Promise<void>
}

export interface DevIssuerOptions {
  dataDir: string
  baseUrl: string
  users: TestUser[]
  accessTokenTtlSec: number
  /** The protected resource: the default `aud` of issued tokens. */
  resource: () => string
}
