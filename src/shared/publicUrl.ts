import { z } from 'zod'

/**
 * A custom public URL as the server accepts it: `https://host[:port]`, no credentials, path, query or fragment
 * (the server's routes hang off it). Parses to the origin. The Tunnel form and the server both use this.
 */
export const PublicUrlSchema = z
  .string()
  .trim()
  .transform((input, ctx) => {
    let url: URL
    try {
      url = new URL(input)
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `"${input}" is not a URL. Enter the public https address that reaches this server, like https://mcp.example.com.`,
      })
      return z.NEVER
    }
    if (url.protocol !== 'https:')
      ctx.addIssue({
        code: 'custom',
        message: 'The public URL must use https: ChatGPT only connects to https servers.',
      })
    else if (url.username || url.password)
      ctx.addIssue({
        code: 'custom',
        message: 'The public URL must not contain a user name or password.',
      })
    else if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
      ctx.addIssue({
        code: 'custom',
        message: `Enter the address without a path (${url.origin}); the Workbench serves /mcp and /.well-known under it.`,
      })
    }
    return url.origin
  })

/** Whether the public URL reaches this server: its protected-resource metadata, fetched through it. */
export interface PublicUrlProbe {
  url: string | null
  ok: boolean
  /** What was found, in words. */
  detail: string
}
