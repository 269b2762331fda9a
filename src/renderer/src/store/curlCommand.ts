import type { RequestEvent } from '../../../shared/events'

/** Headers a replay needs; the rest (Host, lengths, client fingerprints) curl sets or the server ignores. */
const REPLAYED_HEADERS = [
  'content-type',
  'accept',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
]

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name)
  return key === undefined ? undefined : headers[key]
}

/**
 * A curl command that sends the logged request again to `baseUrl`. A bearer token is written as `$TOKEN`
 * (the log never holds the raw token), so the command works once the shell has TOKEN set. Pure.
 */
export function curlCommand(event: RequestEvent, baseUrl: string): string {
  const url = new URL(event.path, baseUrl).href
  const parts = [
    'curl',
    ...(event.method === 'POST' && event.requestBody != null ? [] : ['-X', event.method]),
    shellQuote(url),
  ]
  for (const name of REPLAYED_HEADERS) {
    const value = headerValue(event.requestHeaders, name)
    if (value !== undefined) parts.push('-H', shellQuote(`${name}: ${value}`))
  }
  if (headerValue(event.requestHeaders, 'authorization') !== undefined) {
    parts.push('-H', '"Authorization: Bearer $TOKEN"')
  }
  if (event.requestBody != null) {
    const body =
      typeof event.requestBody === 'string' ? event.requestBody : JSON.stringify(event.requestBody)
    parts.push('--data-raw', shellQuote(body))
  }
  return parts.join(' ')
}
