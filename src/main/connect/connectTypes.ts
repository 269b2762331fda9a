import type { FetchLike } from '@modelcontextprotocol/client'
import type { ConnectState } from '../../shared/issuerTypes'
import type { ChatGptPlan, ChatGptProfileOptions } from './chatgptProfile'
import type { ConnectOAuthProvider, PreRegisteredClient } from './connectOAuthProvider'
import type { LoopbackRedirect } from './loopbackRedirect'

export interface ConnectClientOptions {
  /** Opens the authorization URL for a person: the system browser, or a new tab in browser mode. */
  openUrl: (url: string) => void | Promise<void>
  /** `client_name` sent in dynamic registration. Default "MCP Auth Workbench". */
  clientName?: string
  /** A Client ID Metadata Document URL (https), used when the server advertises support. */
  clientMetadataUrl?: string
  /** Credentials registered beforehand, for servers without dynamic registration. */
  preRegistered?: PreRegisteredClient
  /** Behave as ChatGPT does (its CIMD document, redirect rule, scopes, `id_token_hint`). */
  chatgpt?: ChatGptProfileOptions
  /** Try the authorization request over HTTP first, for servers that approve without a person. Default false. */
  followRedirects?: boolean
  /** How long to wait for the browser sign-in, in milliseconds. Default 300000. */
  browserTimeoutMs?: number
  /** Authorizations one request may trigger (401 and step-up), so a server that never accepts cannot loop. Default 3. */
  maxAuthorizations?: number
  /** Called when the person signs out, to end the development issuer's session too. */
  onSignOut?: () => void | Promise<void>
  fetch?: FetchLike
}

export interface ConnectStartOptions {
  scope?: string
  eager?: boolean
  /** "Use another account": `login` asks the issuer to sign in again, `select_account` to pick. */
  prompt?: 'login' | 'select_account'
  /** Behave as ChatGPT for this run (when the client was given a ChatGPT profile). */
  asChatGpt?: boolean
  /** A client registered by hand at the issuer (Entra, Cognito): used instead of CIMD or DCR. */
  preRegistered?: PreRegisteredClient
}

/** The built-in OAuth client: runs what ChatGPT runs against an MCP server, step by step. */
export interface ConnectClient {
  state(): ConnectState
  onChange(listener: (state: ConnectState) => void): () => void
  /** Connects to `mcpUrl`, signs in on the server's challenge (or, with `eager`, from its metadata), lists the tools. */
  start(mcpUrl: string, options?: ConnectStartOptions): Promise<ConnectState>
  /** Fetch for the MCP endpoint as the signed-in identity: signs in on 401, steps up on 403 `insufficient_scope`. */
  fetch: FetchLike
  /** Asks for more scopes (a tool result's `mcp/www_authenticate` challenge, say): the union with the earlier ones. */
  stepUp(scope: string): Promise<void>
  /** The current access token, refreshed first when it expires within 30 s; null when not signed in. */
  accessToken(): Promise<string | null>
  /** Signs out: forgets every credential and ends the development issuer's session. */
  reset(): Promise<ConnectState>
  close(): Promise<void>
}

/** One Connect session: one MCP URL, its loopback redirect and its credentials. */
export interface Session {
  mcpUrl: string
  provider: ConnectOAuthProvider
  loopback: LoopbackRedirect
  resourceMetadataUrl: URL | undefined
  authorizations: number
  /** The scope the person asked for; absent: the challenge's, else the metadata's. */
  preferredScope: string | undefined
  /** Every scope requested so far: a step-up asks for the union (2026-07-28). */
  requestedScope: string | undefined
  prompt: string | undefined
  chatgpt: ChatGptPlan | null
  idToken: string | undefined
  /** The issuer and resource the credentials belong to: a change of either drops them. */
  binding: string | undefined
}
