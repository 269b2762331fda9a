import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import { checkIssuer, detectProvider } from '../../src/main/issuer'
import { ISSUER_PRESETS, fillIssuerPreset } from '../../src/shared/issuerTypes'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

/** A local issuer whose metadata each test shapes: what real misconfigured servers publish. */
let server: Server
let base = ''
let metadata: Record<string, unknown> = {}
let jwk: Record<string, unknown>

beforeAll(async () => {
  jwk = {
    ...(await exportJWK((await generateKeyPair('ES256')).publicKey)),
    kid: 'k1',
    alg: 'ES256',
    use: 'sig',
  }
  server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(metadata))
    if (req.url === '/jwks')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [jwk] }))
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const complete = () => ({
  issuer: base,
  jwks_uri: `${base}/jwks`,
  authorization_endpoint: `${base}/authorize`,
  token_endpoint: `${base}/token`,
  registration_endpoint: `${base}/register`,
  code_challenge_methods_supported: ['S256'],
  token_endpoint_auth_methods_supported: ['none'],
  authorization_response_iss_parameter_supported: true,
})
const levels = (report: Awaited<ReturnType<typeof checkIssuer>>) =>
  Object.fromEntries(report.findings.map((f) => [f.id, f.level]))

describe('checkIssuer', () => {
  it('finds nothing wrong with a complete issuer', async () => {
    metadata = complete()
    const report = await checkIssuer(base)
    expect(levels(report)).toMatchObject({
      discovery: 'ok',
      issuer: 'ok',
      jwks: 'ok',
      registration: 'ok',
      pkce: 'ok',
      'iss-parameter': 'ok',
      'token-auth': 'ok',
    })
    expect(report.findings.filter((f) => f.level === 'error')).toEqual([])
  })

  it('reports a missing registration_endpoint as the one error, with a fix', async () => {
    const { registration_endpoint: _, ...rest } = complete()
    metadata = rest
    const report = await checkIssuer(base)
    expect(report.findings.filter((f) => f.level === 'error').map((f) => f.id)).toEqual([
      'registration',
    ])
    expect(report.findings.find((f) => f.id === 'registration')?.fix).toBeTruthy()
  })

  it('reports missing S256 as the one error', async () => {
    metadata = { ...complete(), code_challenge_methods_supported: ['plain'] }
    const report = await checkIssuer(base)
    expect(report.findings.filter((f) => f.level === 'error').map((f) => f.id)).toEqual(['pkce'])
  })

  it('catches the trailing-slash trap', async () => {
    metadata = { ...complete(), issuer: `${base}/` }
    const report = await checkIssuer(base)
    expect(report.findings.find((f) => f.id === 'issuer')).toMatchObject({
      level: 'warn',
      fix: `Set the issuer to exactly "${base}/".`,
    })
  })

  it('reports an unreachable issuer without throwing', async () => {
    const report = await checkIssuer(`${base}/nothing-here`)
    expect(report.metadata).toBeNull()
    expect(levels(report)).toEqual({ discovery: 'error' })
  })

  it('flags an audience equal to the issuer', async () => {
    metadata = complete()
    const report = await checkIssuer(base, { audience: base })
    expect(levels(report).audience).toBe('error')
  })
})

describe('provider presets', () => {
  it('fill in URL shapes that detectProvider recognises', () => {
    for (const preset of ISSUER_PRESETS) {
      const url = fillIssuerPreset(
        preset,
        Object.fromEntries(preset.fields.map((f) => [f.name, f.example])),
      )
      expect(url).not.toContain('{')
      expect(detectProvider(new URL(url))).toBe(preset.provider)
    }
  })
})

describe('checkIssuer against the development issuer', () => {
  let fx: Fixture
  afterAll(() => fx?.close())

  it('has no errors', async () => {
    fx = await startWorkbench({})
    const issuer = fx.workbench.devIssuer()?.issuer() as string
    const report = await checkIssuer(issuer, {
      audience: fx.workbench.audience(),
      resource: fx.workbench.resource(),
      devIssuer: issuer,
    })
    expect(report.provider).toBe('dev')
    expect(report.findings.filter((f) => f.level === 'error' || f.level === 'warn')).toEqual([])
  })
})
