import { selectedIssuer, type WorkbenchConfig } from '../../shared/config'
import type { IssuerStatus } from '../../shared/events'
import type { TokenVerifier } from '../auth/accessToken'
import { createExternalIssuerSource } from '../auth/externalIssuerSource'
import type { IssuerSource } from '../auth/issuerSource'
import { loadProjectVerifier } from '../auth/loadProjectVerifier'
import { withTokenChecks } from '../auth/tokenChecks'
import { createJwtVerifier } from '../auth/verifyAccessToken'
import type { DevIssuer } from '../issuer/devIssuer'
import type { HttpMount } from '../server/httpMount'

export interface AuthRuntimeOptions {
  dataDir: string
  /** Public base URL without a trailing slash: where the development issuer lives (`<base>/oauth`). */
  baseUrl(): string
  /** The resource identifier the development issuer mints tokens for. */
  resource(): string
  /** What `aud` must name. */
  audience(): string
  addMount(mount: HttpMount): () => void
  onStatusChange(): void
  logLine(line: string): void
}

/** The selected issuer, the verifier built on it, and the development issuer while it is selected. */
export interface AuthRuntime {
  /** Brings the runtime in line with `config`, rebuilding only what the change touches. */
  apply(config: WorkbenchConfig): Promise<void>
  authOn(config: WorkbenchConfig): boolean
  verifier(): TokenVerifier | null
  issuerSource(): IssuerSource | null
  devIssuer(): DevIssuer | null
  status(config: WorkbenchConfig): IssuerStatus
  close(): Promise<void>
}

/** Everything the verifier is built from: an unchanged key keeps the verifier, its cache and its rate limits. */
function verifierKey(config: WorkbenchConfig, source: IssuerSource, audience: string): string {
  const { algorithms, clockToleranceSec, checks } = config.auth
  const issuer = `${source.kind} ${source.configuredIssuer}`
  return JSON.stringify({
    issuer,
    audience,
    algorithms,
    clockToleranceSec,
    checks,
    projectDir: config.projectDir,
  })
}

export function createAuthRuntime(options: AuthRuntimeOptions): AuthRuntime {
  let source: IssuerSource | null = null
  let verifier: TokenVerifier | null = null
  let builtFor: string | null = null
  let dev: DevIssuer | null = null
  let removeDevMount: (() => void) | null = null

  async function closeDev(): Promise<void> {
    removeDevMount?.()
    await dev?.close()
    dev = removeDevMount = null
  }

  // The development issuer reads its CIMD and registration limits live from the latest config.
  let devSettings: WorkbenchConfig['devIssuer'] | null = null

  async function selectSource(config: WorkbenchConfig, choice: string): Promise<IssuerSource> {
    devSettings = config.devIssuer
    if (choice === 'dev') {
      if (!dev) {
        const { createDevIssuer } = await import('../issuer/devIssuer')
        dev = await createDevIssuer({
          dataDir: options.dataDir,
          baseUrl: options.baseUrl(),
          users: config.devIssuer.users,
          accessTokenTtlSec: config.devIssuer.accessTokenTtlSec,
          resource: options.resource,
          onStatusChange: options.onStatusChange,
          settings: () => devSettings ?? config.devIssuer,
        })
        removeDevMount = options.addMount(dev.mount)
      } else {
        dev.setUsers(config.devIssuer.users)
        if (dev.issuer() !== `${options.baseUrl()}/oauth`) await dev.setBaseUrl(options.baseUrl())
      }
      return dev.source
    }
    if (source?.kind === 'external' && source.configuredIssuer === new URL(choice).href)
      return source
    const external = createExternalIssuerSource(new URL(choice), {
      onStatusChange: options.onStatusChange,
    })
    void external.resolve().catch((err: Error) => options.logLine(`Issuer: ${err.message}`))
    return external
  }

  return {
    async apply(config) {
      const choice = selectedIssuer(config.auth)
      if (choice !== 'dev' && dev) await closeDev()
      if (choice === 'off') {
        source = verifier = builtFor = null
        return
      }
      source = await selectSource(config, choice)
      const key = verifierKey(config, source, options.audience())
      if (key === builtFor && verifier) return
      const jwt = createJwtVerifier({
        issuer: source,
        audience: options.audience,
        algorithms: config.auth.algorithms,
        clockToleranceSec: config.auth.clockToleranceSec,
      })
      const custom = config.projectDir
        ? await loadProjectVerifier(config.projectDir, jwt, options.logLine)
        : null
      verifier = withTokenChecks(custom ?? jwt, config.auth.checks)
      builtFor = key
    },
    authOn: (config) => selectedIssuer(config.auth) !== 'off',
    verifier: () => verifier,
    issuerSource: () => source,
    devIssuer: () => dev,
    status(config) {
      const choice = selectedIssuer(config.auth)
      if (choice === 'off')
        return { kind: 'off', issuer: null, state: 'off', error: null, jwksUri: null }
      const kind = choice === 'dev' ? 'dev' : 'external'
      return (
        source?.status() ?? { kind, issuer: null, state: 'discovering', error: null, jwksUri: null }
      )
    },
    async close() {
      await closeDev()
      await source?.close?.()
    },
  }
}
