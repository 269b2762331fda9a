import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/shared/config'
import { mergeConfigPatch } from '../../src/main/config/mergeConfigPatch'
import { splitCommandLine } from '../../src/shared/splitCommandLine'
import { describeUpstream, upstreamFromFlags } from '../../src/main/gateway/upstreamFlags'

describe('splitCommandLine', () => {
  it('splits on whitespace and keeps quoted spaces', () => {
    expect(splitCommandLine(`node  dist/index.js --stdio`)).toEqual([
      'node',
      'dist/index.js',
      '--stdio',
    ])
    expect(splitCommandLine(`python "my server.py" 'a b'`)).toEqual([
      'python',
      'my server.py',
      'a b',
    ])
  })
  it('honours escapes like a shell and expands nothing', () => {
    expect(splitCommandLine(`echo a\\ b "q\\"x" '$HOME' "$HOME" \\$x ~`)).toEqual([
      'echo',
      'a b',
      'q"x',
      '$HOME',
      '$HOME',
      '$x',
      '~',
    ])
    expect(splitCommandLine(`x "" ''`)).toEqual(['x', '', ''])
    expect(splitCommandLine(`a'b'"c"d`)).toEqual(['abcd'])
    expect(splitCommandLine(`"a\\b"`)).toEqual(['a\\b'])
  })
  it('keeps shell operators as plain words: no shell runs', () => {
    expect(splitCommandLine(`node x.js; rm -rf / | cat && $(id)`)).toEqual([
      'node',
      'x.js;',
      'rm',
      '-rf',
      '/',
      '|',
      'cat',
      '&&',
      '$(id)',
    ])
  })
  it('refuses unterminated quotes with ERR_CONFIG_INVALID', () => {
    expect(() => splitCommandLine(`node "x.js`)).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    )
    expect(() => splitCommandLine(`node 'x.js`)).toThrow(/unterminated ' quote/)
    expect(() => splitCommandLine(`node x\\`)).toThrow(/backslash/)
  })
})

describe('upstream flags and config', () => {
  it('turns --upstream and --upstream-command into the config value', () => {
    expect(upstreamFromFlags({ upstream: 'http://127.0.0.1:3001/mcp' })).toEqual({
      url: 'http://127.0.0.1:3001/mcp',
    })
    expect(upstreamFromFlags({ upstreamCommand: `node "dist/index.js" --stdio` })).toEqual({
      command: 'node',
      args: ['dist/index.js', '--stdio'],
      env: {},
    })
    expect(upstreamFromFlags({})).toBeUndefined()
  })
  it('refuses a bad URL, an empty command and both flags at once', () => {
    expect(() => upstreamFromFlags({ upstream: 'ftp://x' })).toThrow(/--upstream: expected an http/)
    expect(() => upstreamFromFlags({ upstreamCommand: '   ' })).toThrow(/empty/)
    expect(() => upstreamFromFlags({ upstream: 'http://a/mcp', upstreamCommand: 'node' })).toThrow(
      /not both/,
    )
  })
  it('validates upstream in the config file and defaults it to null', () => {
    expect(parseConfig({})).toMatchObject({ ok: true, config: { upstream: null } })
    expect(
      parseConfig({ upstream: { command: 'node', args: ['s.js'], cwd: '/srv', env: { A: '1' } } }),
    ).toMatchObject({ ok: true })
    const bad = parseConfig({ upstream: { url: 'http://a/mcp', command: 'node' } })
    expect(bad.ok).toBe(false)
    expect(parseConfig({ upstream: { url: 'nope' } })).toMatchObject({
      ok: false,
      issues: [expect.objectContaining({ path: 'upstream.url' })],
    })
  })
  it('replaces the upstream whole when the UI switches from a URL to a command', () => {
    const merged = mergeConfigPatch(
      { upstream: { url: 'http://a/mcp' } },
      { upstream: { command: 'node', args: [] } },
    )
    expect(merged).toEqual({ upstream: { command: 'node', args: [] } })
    expect(parseConfig(merged).ok).toBe(true)
  })
  it('names an upstream by its URL or its quoted command line', () => {
    expect(describeUpstream({ url: 'http://h/mcp' })).toBe('http://h/mcp')
    expect(describeUpstream({ command: 'python', args: ['my server.py', '-v'], env: {} })).toBe(
      `python 'my server.py' -v`,
    )
  })
})
