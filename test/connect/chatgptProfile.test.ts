import { describe, expect, it } from 'vitest'
import type { OAuthDiscoveryState } from '@modelcontextprotocol/client'
import { createChatGptClientDocument } from '../../src/main/connect/chatgptClientDocument'
import { chatGptScope, planChatGpt, resourceRefused } from '../../src/main/connect/chatgptProfile'
import { normalizeClientDocument } from '../../src/main/issuer/clientMetadataRules'

const document = createChatGptClientDocument()
const profile = { document, documentBaseUrl: () => 'https://wb.example.test' }
const discovery = (metadata: Record<string, unknown>) =>
  ({
    authorizationServerUrl: 'https://as.example',
    authorizationServerMetadata: { issuer: 'https://as.example', ...metadata },
  }) as unknown as OAuthDiscoveryState

describe('the ChatGPT profile: what ChatGPT would do against an issuer', () => {
  it('uses the stable client and redirect only when the issuer advertises RFC 9207 iss', () => {
    const stable = planChatGpt(
      profile,
      discovery({
        authorization_response_iss_parameter_supported: true,
        client_id_metadata_document_supported: true,
      }),
    )
    expect(stable).toMatchObject({
      stable: true,
      redirectPath: '/connector_platform_oauth_redirect',
      verdicts: {},
    })
    expect(stable.documentClient?.clientId).toBe(
      'https://wb.example.test/chatgpt/oauth/client.json',
    )
    const perConnector = planChatGpt(
      profile,
      discovery({ client_id_metadata_document_supported: true }),
    )
    expect(perConnector.redirectPath).toMatch(/^\/connector\/oauth\/[0-9a-f]{12}$/)
    expect(perConnector.documentClient?.clientId).toMatch(
      /\/chatgpt\/oauth\/[0-9a-f]{12}\/client\.json$/,
    )
    expect(perConnector.verdicts.authorization).toContain('RFC 9207')
  })

  it('says which step ChatGPT would fail at, and why', () => {
    const noClient = planChatGpt(
      profile,
      discovery({ authorization_response_iss_parameter_supported: true }),
    )
    expect(noClient.verdicts.registration).toMatch(
      /ChatGPT would fail here.*neither Client ID Metadata Documents nor dynamic registration/,
    )
    const noJwt = planChatGpt(
      profile,
      discovery({
        authorization_response_iss_parameter_supported: true,
        client_id_metadata_document_supported: true,
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      }),
    )
    expect(noJwt.verdicts.token).toMatch(/ChatGPT would fail here.*private_key_jwt/)
    expect(
      resourceRefused(
        "AADSTS9010010: The resource parameter provided in the request doesn't match",
      ),
    ).toBe(true)
    expect(resourceRefused('invalid_target')).toBe(true)
  })

  it("asks for the OIDC scopes the issuer advertises, on top of the server's", () => {
    expect(
      chatGptScope(
        'files:read',
        discovery({ scopes_supported: ['openid', 'email', 'files:read'] }),
      ),
    ).toBe('files:read openid email')
    expect(chatGptScope(undefined, discovery({}))).toBeUndefined()
  })

  it("starts from the resource's scopes_supported when no challenge named a scope", () => {
    const state = {
      ...discovery({ scopes_supported: ['openid', 'user'] }),
      resourceMetadata: {
        resource: 'https://mcp.example/mcp',
        scopes_supported: ['user', 'read:data'],
      },
    } as unknown as OAuthDiscoveryState
    expect(chatGptScope(undefined, state)).toBe('user read:data openid')
    expect(chatGptScope('admin', state)).toBe('admin openid')
  })

  it('serves a document with both auth method fields and a JWKS', () => {
    const doc = document.document('https://wb.example.test')
    expect(doc).toMatchObject({
      client_id: 'https://wb.example.test/chatgpt/oauth/client.json',
      token_endpoint_auth_methods: ['none', 'private_key_jwt'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'https://wb.example.test/chatgpt/oauth/jwks.json',
    })
  })
})

describe("the development issuer reads a CIMD document's auth methods (plural and singular)", () => {
  const base = {
    client_id: 'https://c.example/client.json',
    redirect_uris: ['https://c.example/cb'],
    jwks_uri: 'https://c.example/jwks',
  }
  it('takes the intersection of the plural and the singular field', () => {
    const doc = normalizeClientDocument(
      {
        ...base,
        token_endpoint_auth_methods: ['none', 'private_key_jwt'],
        token_endpoint_auth_method: 'private_key_jwt',
      },
      ['none', 'private_key_jwt'],
    )
    expect(doc.token_endpoint_auth_method).toBe('private_key_jwt')
    expect(doc).not.toHaveProperty('token_endpoint_auth_methods')
  })
  it('reads the plural field alone, and falls back to none without keys', () => {
    expect(
      normalizeClientDocument(
        { ...base, token_endpoint_auth_methods: ['none', 'private_key_jwt'] },
        ['none', 'private_key_jwt'],
      ).token_endpoint_auth_method,
    ).toBe('private_key_jwt')
    const { jwks_uri: _k, ...keyless } = base
    expect(
      normalizeClientDocument(
        { ...keyless, token_endpoint_auth_methods: ['private_key_jwt', 'none'] },
        ['none', 'private_key_jwt'],
      ).token_endpoint_auth_method,
    ).toBe('none')
  })
  it('makes a loopback-only document native, so the redirect port may vary', () => {
    expect(
      normalizeClientDocument({ ...base, redirect_uris: ['http://127.0.0.1/cb'] }, ['none'])
        .application_type,
    ).toBe('native')
  })
})
