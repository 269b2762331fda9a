import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { normalizeClientDocument, redirectUrisProblem } from './clientMetadataRules'

const MAX_BYTES = 64 * 1024

/** Addresses a document fetch must never reach: loopback, private, link-local, unique-local, and the like. */
const SPECIAL = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  SPECIAL.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  SPECIAL.addSubnet(net, prefix, 'ipv6')
}
const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4'
}

/** An IPv4-mapped IPv6 address as its IPv4 one (URLs write 127.0.0.1 as `[::ffff:7f00:1]`). */
function mapped(address: string): string {
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (dotted) return dotted[1]
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address)
  if (!hex) return address
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)]
  return [high >> 8, high & 255, low >> 8, low & 255].join('.')
}

export const isSpecialUse = (address: string) =>
  SPECIAL.check(mapped(address), family(mapped(address)))
const isLoopback = (address: string) => LOOPBACK.check(mapped(address), family(mapped(address)))

export interface CimdFetchPolicy {
  /** The Workbench's public origin: its own documents are always fetched (in-process, over loopback). */
  ownOrigin(): string
  /** Where this process listens, learnt from the requests it serves. */
  localOrigin(): string | null
  allowLoopback(): boolean
  resolve?: (host: string) => Promise<string[]>
  /** Why the last fetch of a URL was refused, for the error page. */
  refused: Map<string, string>
  /** Token endpoint methods a document may end up with. */
  authMethods: string[]
}

type FetchOptions = RequestInit & { dispatcher?: unknown }

const defaultResolve = async (host: string) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)

/**
 * oidc-provider's `fetch` for Client ID Metadata Documents and client JWKS: resolves the host first and
 * refuses private, loopback and link-local addresses before any connection is made (oidc-provider's own
 * guard closes such sockets only after connecting, which lets timing reveal open ports). Redirects are
 * never followed (oidc-provider asks for `redirect: manual` and accepts 200 only).
 */
export function createCimdFetch(
  policy: CimdFetchPolicy,
): (url: URL | string, options: FetchOptions) => Promise<Response> {
  const resolve = policy.resolve ?? defaultResolve
  const refuse = (url: URL, reason: string): never => {
    policy.refused.set(url.href, reason)
    if (policy.refused.size > 200)
      policy.refused.delete(policy.refused.keys().next().value as string)
    throw new Error(reason)
  }
  async function postProcess(url: URL, response: Response): Promise<Response> {
    if (response.status !== 200 || !response.body) return response
    const chunks: Uint8Array[] = []
    let size = 0
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length
      if (size > MAX_BYTES) {
        policy.refused.set(
          url.href,
          `the document at ${url.href} is larger than ${MAX_BYTES / 1024} KB`,
        )
        return new Response(null, { status: 413 })
      }
      chunks.push(chunk)
    }
    const bytes = Buffer.concat(chunks)
    const headers = new Headers(response.headers)
    headers.delete('content-length')
    headers.delete('content-encoding')
    let doc: unknown
    try {
      doc = JSON.parse(bytes.toString('utf8'))
    } catch {
      return new Response(bytes, { status: 200, headers })
    }
    if (
      !doc ||
      typeof doc !== 'object' ||
      (doc as { client_id?: unknown }).client_id !== url.href
    ) {
      return new Response(bytes, { status: 200, headers })
    }
    const problem = redirectUrisProblem(doc as Record<string, unknown>)
    if (problem) {
      policy.refused.set(
        url.href,
        `the client metadata document lists a redirect URI the issuer refuses: ${problem}`,
      )
      return new Response(null, { status: 422 })
    }
    const normalized = normalizeClientDocument(doc as Record<string, unknown>, policy.authMethods)
    return new Response(JSON.stringify(normalized), { status: 200, headers })
  }

  return async (input, options) => {
    const url = new URL(String(input))
    return postProcess(url, await fetchGuarded(url, options))
  }

  async function fetchGuarded(url: URL, options: FetchOptions): Promise<Response> {
    const own = new URL(policy.ownOrigin())
    const local = policy.localOrigin()
    if (url.origin === own.origin && local) {
      // The Workbench's own document: fetched from this process, with the public origin it was asked for.
      const { dispatcher: _unused, ...rest } = options
      const headers = new Headers(rest.headers)
      headers.set('x-forwarded-proto', own.protocol.slice(0, -1))
      headers.set('x-forwarded-host', own.host)
      return fetch(`${local}${url.pathname}${url.search}`, { ...rest, headers })
    }
    const host = url.hostname.replace(/^\[|\]$/g, '')
    let addresses: string[]
    try {
      addresses = isIP(host) ? [host] : await resolve(host)
    } catch {
      return refuse(url, `could not resolve ${host}`)
    }
    const special = addresses.find(isSpecialUse)
    if (special) {
      const loopbackOnly = addresses.every(isLoopback)
      if (!(loopbackOnly && policy.allowLoopback())) {
        return refuse(
          url,
          `${host} resolves to ${special}, a ${isLoopback(special) ? 'loopback' : 'private or link-local'} ` +
            'address: the development issuer fetches client metadata documents only from public addresses' +
            (isLoopback(special)
              ? ' (allow loopback with devIssuer.cimd.allowLoopback in the config)'
              : ''),
        )
      }
      const { dispatcher: _unused, ...rest } = options
      return fetch(url, rest)
    }
    return fetch(url, options as RequestInit)
  }
}
