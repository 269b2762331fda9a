import type { PublicUrlProbe } from '../../shared/publicUrl'

const TIMEOUT_MS = 8_000

/**
 * Fetches the protected-resource metadata through the public URL: it answers only when the URL reaches this
 * server (the metadata names our resource), not merely some server.
 */
export async function probePublicUrl(
  publicUrl: string,
  expectedResource: string,
  fetchImpl: typeof fetch = fetch,
): Promise<PublicUrlProbe> {
  const url = `${publicUrl.replace(/\/$/, '')}/.well-known/oauth-protected-resource/mcp`
  let response: Response
  try {
    response = await fetchImpl(url, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: 'application/json' },
    })
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code
    const why =
      (err as Error).name === 'TimeoutError'
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : cause === 'ENOTFOUND'
          ? `could not resolve ${new URL(url).host}`
          : (cause ?? (err as Error).message)
    return { url: publicUrl, ok: false, detail: `${url} did not answer: ${why}.` }
  }
  const body: unknown = await response.json().catch(() => null)
  const resource = (body as { resource?: unknown } | null)?.resource
  if (!response.ok)
    return {
      url: publicUrl,
      ok: false,
      detail: `${url} answered HTTP ${response.status}, not this server's metadata.`,
    }
  if (resource !== expectedResource) {
    return {
      url: publicUrl,
      ok: false,
      detail: `${url} answered, but not with this server's metadata (resource ${JSON.stringify(resource ?? null)}, expected ${expectedResource}).`,
    }
  }
  return { url: publicUrl, ok: true, detail: `${url} answers with this server's metadata.` }
}
