import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import {
  BodyError,
  hostnameOf,
  isLoopbackHostname,
  isLoopbackOrWildcardHost,
  loopbackFor,
  parseJsonWithin,
  readBody,
} from '../../src/main/http/httpHelpers'

describe('parseJsonWithin', () => {
  it('refuses nesting past the limit before parsing, and counts no brackets inside strings', () => {
    expect(() => parseJsonWithin('['.repeat(65) + ']'.repeat(65), 64)).toThrow(/deeper than 64/)
    expect(parseJsonWithin('['.repeat(64) + ']'.repeat(64), 64)).toBeInstanceOf(Array)
    expect(parseJsonWithin('{"a":"[[[[\\"{{{{"}', 1)).toEqual({ a: '[[[["{{{{' })
  })

  it('names malformed JSON as such', () => {
    const err = (() => {
      try {
        parseJsonWithin('{"a":', 64)
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(BodyError)
    expect((err as BodyError).kind).toBe('malformed')
  })
})

describe('loopback and Host helpers', () => {
  it('strict loopback excludes the wildcard addresses; lenient includes them', () => {
    for (const h of ['localhost', '127.0.0.1', '127.3.2.1', '::1', '[::1]'])
      expect(isLoopbackHostname(h)).toBe(true)
    for (const h of ['0.0.0.0', '::', '[::]', '10.0.0.1', 'example.test'])
      expect(isLoopbackHostname(h)).toBe(false)
    for (const h of ['0.0.0.0', '::', '', '127.0.0.1'])
      expect(isLoopbackOrWildcardHost(h)).toBe(true)
    expect(isLoopbackOrWildcardHost('192.168.1.2')).toBe(false)
  })

  it('dials a concrete loopback address for a wildcard bind, and brackets IPv6', () => {
    expect(loopbackFor('0.0.0.0')).toBe('127.0.0.1')
    expect(loopbackFor('::')).toBe('[::1]')
    expect(loopbackFor('::1')).toBe('[::1]')
    expect(loopbackFor('127.0.0.1')).toBe('127.0.0.1')
    expect(hostnameOf('[::1]:8001')).toBe('::1')
    expect(hostnameOf('Example.TEST:443')).toBe('example.test')
  })
})

describe('readBody', () => {
  it('refuses a body over the limit instead of truncating it', async () => {
    const results: string[] = []
    const server = createServer((req: IncomingMessage, res) => {
      readBody(req, { maxBytes: 10 })
        .then(
          (b) => results.push(`ok ${b.length}`),
          (e: BodyError) => results.push(e.kind),
        )
        .finally(() => res.end())
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    await fetch(url, { method: 'POST', body: '0123456789' })
    await fetch(url, { method: 'POST', body: '0123456789A' })
    server.close()
    expect(results).toEqual(['ok 10', 'too_large'])
  })
})
