import { mkdtemp, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { createSessionBounds, MAX_GATEWAY_SESSIONS } from '../../src/main/gateway/boundedSessions'
import { IDENTITY_KEY_FILE, loadIdentityKey } from '../../src/main/gateway/identityKeys'
import { createIdentitySigner } from '../../src/main/gateway/identityToken'
import {
  declaredAuthOf,
  effectiveToolAuth,
  permissivenessWarning,
  rewriteToolsList,
  toUpstreamTool,
} from '../../src/main/gateway/upstreamTools'
import { WorkbenchConfigSchema } from '../../src/shared/config'

describe('upstream tools as widgets', () => {
  it('derives the default mode from securitySchemes, top level or in _meta', () => {
    expect(declaredAuthOf({ securitySchemes: [{ type: 'oauth2', scopes: ['a', 'b'] }] })).toEqual({
      mode: 'required',
      scopes: ['a', 'b'],
    })
    expect(
      declaredAuthOf({ _meta: { securitySchemes: [{ type: 'noauth' }, { type: 'oauth2' }] } }),
    ).toEqual({ mode: 'optional', scopes: [] })
    expect(declaredAuthOf({ securitySchemes: [{ type: 'noauth' }] })).toEqual({
      mode: 'none',
      scopes: [],
    })
    expect(declaredAuthOf({ securitySchemes: [{ type: 'apiKey' }] })).toEqual({
      mode: 'inherit',
      scopes: [],
    })
    expect(declaredAuthOf({ securitySchemes: 'oauth2' })).toEqual({ mode: 'inherit', scopes: [] })
  })

  it('tells widgets (MCP Apps or Apps SDK template) from plain tools', () => {
    expect(toUpstreamTool({ name: 'a', _meta: { ui: { resourceUri: 'ui://a' } } })).toMatchObject({
      isWidget: true,
      templateUri: 'ui://a',
    })
    expect(
      toUpstreamTool({ name: 'b', _meta: { 'openai/outputTemplate': 'ui://b' } }),
    ).toMatchObject({ isWidget: true, templateUri: 'ui://b' })
    expect(toUpstreamTool({ name: 'c' })).toMatchObject({ isWidget: false, templateUri: null })
  })

  it('applies widgets.<name> over the declaration, and auth off makes every tool public', () => {
    const tool = toUpstreamTool({
      name: 'pay',
      securitySchemes: [{ type: 'oauth2', scopes: ['payments'] }],
    })
    const config = WorkbenchConfigSchema.parse({
      widgets: { pay: { auth: 'optional' } },
      auth: { requiredScopes: ['user'] },
    })
    expect(effectiveToolAuth(tool, config, true)).toMatchObject({
      mode: 'optional',
      scopes: ['payments'],
    })
    expect(effectiveToolAuth(tool, WorkbenchConfigSchema.parse({}), false)).toMatchObject({
      mode: 'none',
      scopes: [],
    })
    const plain = toUpstreamTool({ name: 'plain' })
    expect(effectiveToolAuth(plain, config, true)).toMatchObject({
      mode: 'required',
      scopes: ['user'],
    })
  })

  it('warns when the Workbench lets through more than the upstream asks for, never when stricter', () => {
    const tool = toUpstreamTool({
      name: 'pay',
      securitySchemes: [{ type: 'oauth2', scopes: ['payments'] }],
    })
    expect(
      permissivenessWarning(tool, { mode: 'optional', scopes: ['payments'], override: null }),
    ).toMatch(/get through/)
    expect(permissivenessWarning(tool, { mode: 'required', scopes: [], override: null })).toMatch(
      /asks for payments/,
    )
    expect(
      permissivenessWarning(tool, {
        mode: 'required',
        scopes: ['payments', 'more'],
        override: null,
      }),
    ).toBeNull()
    const open = toUpstreamTool({ name: 'open', securitySchemes: [{ type: 'noauth' }] })
    expect(permissivenessWarning(open, { mode: 'required', scopes: [], override: null })).toBeNull()
  })

  it('rewrites only securitySchemes in tools/list and keeps the rest of the result', () => {
    const result = {
      tools: [{ name: 'a', 'x-extra': 1, _meta: { ui: { resourceUri: 'ui://a' } } }],
      nextCursor: 'n',
      ttlMs: 5,
    }
    const out = rewriteToolsList(result, () => ({ mode: 'required', scopes: ['s'] }))
    expect(out).toEqual({
      tools: [
        {
          name: 'a',
          'x-extra': 1,
          securitySchemes: [{ type: 'oauth2', scopes: ['s'] }],
          _meta: {
            ui: { resourceUri: 'ui://a' },
            securitySchemes: [{ type: 'oauth2', scopes: ['s'] }],
          },
        },
      ],
      nextCursor: 'n',
      ttlMs: 5,
    })
  })
})

describe('forwarded identity', () => {
  it('signs for one upstream with a 5-minute life and keeps its key (mode 0600) across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'identity-'))
    const key = await loadIdentityKey(dir)
    expect((await stat(join(dir, IDENTITY_KEY_FILE))).mode & 0o777).toBe(0o600)
    expect((await loadIdentityKey(dir)).kid).toBe(key.kid)
    const signer = createIdentitySigner(key, () => 'https://wb.example')
    const caller = { subject: 'u1', scopes: ['a', 'b'], clientId: 'c' }
    const token = await signer.sign(caller, 'http://up/mcp')
    expect(await signer.sign(caller, 'http://up/mcp')).toBe(token)
    expect(await signer.sign(caller, 'http://other/mcp')).not.toBe(token)
    expect(decodeProtectedHeader(token)).toMatchObject({
      alg: 'ES256',
      kid: key.kid,
      typ: 'workbench-identity+jwt',
    })
    const { payload } = await jwtVerify(token, createLocalJWKSet(signer.jwks()), {
      issuer: 'https://wb.example',
      audience: 'http://up/mcp',
    })
    expect(payload).toMatchObject({ sub: 'u1', scope: 'a b', client_id: 'c' })
    expect(payload.exp! - payload.iat!).toBe(300)
    expect(signer.jwks().keys[0]).not.toHaveProperty('d')
    await expect(
      jwtVerify(token, createLocalJWKSet(signer.jwks()), { audience: 'http://other/mcp' }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' })
  })
})

describe('gateway sessions stay bounded', () => {
  it('closes the least recently used session when full', () => {
    const sessions = new Map(
      Array.from(
        { length: MAX_GATEWAY_SESSIONS },
        (_, i) => [`s${i}` as string, { lastSeen: 1000 + i }] as const,
      ),
    )
    sessions.set('s0', { lastSeen: 99_999 })
    const closed: string[] = []
    createSessionBounds().makeRoom(
      sessions,
      'new caller',
      (id) => void (closed.push(id), sessions.delete(id)),
    )
    expect(closed).toEqual(['s1'])
    expect(sessions.size).toBe(MAX_GATEWAY_SESSIONS - 1)
  })
})
