import type { AddFinding } from './issuerFinding'

const ASYMMETRIC_KTY = new Set(['RSA', 'EC', 'OKP'])

export async function checkJwks(
  metadata: Record<string, unknown>,
  add: AddFinding,
  doFetch: typeof fetch,
  timeout: () => AbortSignal,
) {
  if (typeof metadata.jwks_uri !== 'string') {
    add(
      'jwks',
      'error',
      'No jwks_uri',
      'The issuer publishes no keys, so its tokens cannot be verified.',
      'Use an issuer that signs access tokens as JWTs with published keys.',
    )
    return
  }
  try {
    const response = await doFetch(metadata.jwks_uri, {
      headers: { accept: 'application/json' },
      signal: timeout(),
    })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    const keys =
      ((await response.json()) as { keys?: { kty?: string; alg?: string; use?: string }[] }).keys ??
      []
    const kinds = keys.map((k) => `${k.kty ?? '?'}${k.alg ? `/${k.alg}` : ''}`)
    const usable = keys.filter((k) => k.kty && ASYMMETRIC_KTY.has(k.kty) && k.use !== 'enc')
    if (!keys.length)
      add(
        'jwks',
        'error',
        'JWKS is empty',
        `${metadata.jwks_uri} lists no keys.`,
        'Create a signing key on the issuer.',
      )
    else if (!usable.length)
      add(
        'jwks',
        'error',
        'No asymmetric signing key',
        `Keys: ${kinds.join(', ')}.`,
        'The Workbench accepts asymmetric algorithms only (RS*, PS*, ES*, EdDSA); switch the signing algorithm.',
      )
    else add('jwks', 'ok', 'Signing keys reachable', `${keys.length} key(s): ${kinds.join(', ')}.`)
  } catch (err) {
    add(
      'jwks',
      'error',
      'JWKS unreachable',
      `${metadata.jwks_uri}: ${(err as Error).message}.`,
      'Check that the jwks_uri is reachable from this machine.',
    )
  }
}
