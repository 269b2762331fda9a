import { UpstreamSchema, type Upstream } from '../../shared/config'
import { WorkbenchError } from '../../shared/errors'
import { splitCommandLine } from '../../shared/splitCommandLine'

export interface UpstreamFlags {
  /** `--upstream <url>`: a Streamable HTTP MCP endpoint. */
  upstream?: string
  /** `--upstream-command "<cmd line>"`: a stdio MCP server, split like a shell (no shell runs). */
  upstreamCommand?: string
}

/** The upstream the serve flags name; undefined when neither flag is given (the config decides). */
export function upstreamFromFlags(flags: UpstreamFlags): Upstream | undefined {
  if (flags.upstream !== undefined && flags.upstreamCommand !== undefined) {
    throw new WorkbenchError(
      'ERR_CONFIG_INVALID',
      'Pass either --upstream <url> or --upstream-command "<command line>", not both',
    )
  }
  if (flags.upstream !== undefined) {
    const parsed = UpstreamSchema.safeParse({ url: flags.upstream })
    if (!parsed.success)
      throw new WorkbenchError(
        'ERR_CONFIG_INVALID',
        `--upstream: expected an http(s) URL, got "${flags.upstream}"`,
      )
    return parsed.data
  }
  if (flags.upstreamCommand !== undefined) {
    const [command, ...args] = splitCommandLine(flags.upstreamCommand)
    if (!command)
      throw new WorkbenchError(
        'ERR_CONFIG_INVALID',
        '--upstream-command: the command line is empty',
      )
    return { command, args, env: {} }
  }
  return undefined
}

/** How errors and the UI name an upstream: its URL, or its command line. */
export function describeUpstream(upstream: NonNullable<Upstream>): string {
  if ('url' in upstream) return upstream.url
  return [upstream.command, ...upstream.args]
    .map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`))
    .join(' ')
}

/** The `aud` of identities sent to this upstream: its URL, or `stdio:` and its command line. */
export function upstreamAudience(upstream: NonNullable<Upstream>): string {
  return 'url' in upstream ? upstream.url : `stdio:${describeUpstream(upstream)}`
}
