import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  WorkbenchConfigSchema,
  type Upstream,
  type WorkbenchConfigInput,
} from '../../src/shared/config'
import { createGateway, type Gateway } from '../../src/main/gateway/createGateway'
import { loadIdentityKey } from '../../src/main/gateway/identityKeys'
import { createIdentitySigner, type IdentitySigner } from '../../src/main/gateway/identityToken'

export const WORKBENCH_ISSUER = 'http://127.0.0.1:8001'

export interface TestGateway {
  gateway: Gateway
  signer: IdentitySigner
  logs: string[]
  setConfig(input: WorkbenchConfigInput): void
}

export async function makeGateway(
  upstream: NonNullable<Upstream>,
  input: WorkbenchConfigInput = {},
  timeoutMs = 5000,
): Promise<TestGateway> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gateway-test-'))
  const signer = createIdentitySigner(await loadIdentityKey(dataDir), () => WORKBENCH_ISSUER)
  const logs: string[] = []
  let config = WorkbenchConfigSchema.parse({ ...input, server: { handlerTimeoutMs: timeoutMs } })
  const gateway = createGateway({
    upstream,
    config: () => config,
    authOn: () => true,
    signer,
    logLine: (l) => logs.push(l),
    onChange: () => {},
  })
  return {
    gateway,
    signer,
    logs,
    setConfig(next) {
      config = WorkbenchConfigSchema.parse({ ...next, server: { handlerTimeoutMs: timeoutMs } })
    },
  }
}

/** Waits until `check` holds (state reached by another process), failing after `ms`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  ms = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
