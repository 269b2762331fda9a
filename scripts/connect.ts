// Headless Connect: `npm run connect -- [--scope S] [--client-id ID [--client-secret S]] [--client-metadata-url URL] <mcp-url>`
// Signs in the way ChatGPT does, lists the tools, calls each one as the signed-in identity, prints who that is.
import { spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createConnectClient, type PreRegisteredClient } from '../src/main/connect'

// The conformance runner's fixed Client ID Metadata Document (its own scenarios host it); used only under the runner.
const CONFORMANCE_CIMD_URL = 'https://conformance-test.local/client-metadata.json'

const USAGE = 'usage: npm run connect -- [--scope S] [--client-id ID] [--client-secret S] [--client-metadata-url URL] [--browser-timeout SECONDS] <mcp-url>'

function openInBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]]
  const child = spawn(command, args as string[], { stdio: 'ignore', detached: true })
  child.on('error', () => {})
  child.unref()
}

/** Pre-registered credentials: flags first, else the conformance runner's context (MCP_CONFORMANCE_CONTEXT). */
function preRegistered(values: { 'client-id'?: string; 'client-secret'?: string }): PreRegisteredClient | undefined {
  if (values['client-id']) return { clientId: values['client-id'], clientSecret: values['client-secret'] }
  const raw = process.env.MCP_CONFORMANCE_CONTEXT
  if (!raw) return undefined
  try {
    const context = JSON.parse(raw) as { client_id?: unknown; client_secret?: unknown }
    if (typeof context.client_id === 'string') return { clientId: context.client_id, clientSecret: typeof context.client_secret === 'string' ? context.client_secret : undefined }
  } catch {
    process.stderr.write('MCP_CONFORMANCE_CONTEXT is not JSON; ignored.\n')
  }
  return undefined
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      scope: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'client-metadata-url': { type: 'string' },
      'browser-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const target = positionals.at(-1)
  if (values.help || !target) {
    process.stderr.write(`${USAGE}\n`)
    return values.help ? 0 : 2
  }
  const connect = createConnectClient({
    openUrl: (url) => {
      process.stdout.write(`Open this URL to sign in (trying your browser):\n  ${url}\n`)
      openInBrowser(url)
    },
    clientName: 'MCP Auth Workbench (connect CLI)',
    clientMetadataUrl: values['client-metadata-url'] ?? process.env.CONNECT_CLIENT_METADATA_URL ?? (process.env.MCP_CONFORMANCE_SCENARIO ? CONFORMANCE_CIMD_URL : undefined),
    preRegistered: preRegistered(values),
    followRedirects: true,
    browserTimeoutMs: values['browser-timeout'] ? Number(values['browser-timeout']) * 1000 : undefined,
  })
  let lastLine = ''
  connect.onChange((state) => {
    const line = state.steps.map((s) => `${s.id}:${s.status}`).join(' ')
    if (line !== lastLine) process.stderr.write(`[connect] ${state.state} ${line}\n`)
    lastLine = line
  })

  const client = new Client({ name: 'mcp-auth-workbench-connect', version: '1.0.0' })
  try {
    // A --scope is what the person wants from the start; otherwise scopes come from the server's challenge.
    if (values.scope) await connect.start(target, { scope: values.scope, eager: true })
    await client.connect(new StreamableHTTPClientTransport(new URL(target), { fetch: connect.fetch }))
    const { tools } = await client.listTools()
    process.stdout.write(`Tools (${tools.length}): ${tools.map((t) => t.name).join(', ') || '(none)'}\n`)
    for (const tool of tools) {
      let result = await client.callTool({ name: tool.name, arguments: {} })
      const challenge = (result._meta as Record<string, unknown> | undefined)?.['mcp/www_authenticate']
      if (result.isError && challenge) {
        const scope = /scope="([^"]*)"/.exec(String(Array.isArray(challenge) ? challenge[0] : challenge))?.[1]
        process.stdout.write(`  ${tool.name}: the server asks for sign-in${scope ? ` with "${scope}"` : ''}; signing in\n`)
        await connect.stepUp(scope ?? '')
        result = await client.callTool({ name: tool.name, arguments: {} })
      }
      const text = (result.content as { type: string; text?: string }[] | undefined)?.find((c) => c.type === 'text')?.text ?? JSON.stringify(result.structuredContent ?? {})
      process.stdout.write(`  ${tool.name}: ${result.isError ? 'error' : 'ok'} ${text.slice(0, 200)}\n`)
    }
    const identity = connect.state().identity
    process.stdout.write(identity
      ? `Signed in as ${identity.subject} with scopes [${identity.scopes.join(' ')}] (client ${identity.clientId ?? 'unknown'})\n`
      : 'Not signed in: the server never asked for a token.\n')
    return 0
  } catch (err) {
    const state = connect.state()
    process.stderr.write(`Connect failed: ${state.error ?? (err as Error).message}\n`)
    return 1
  } finally {
    await client.close().catch(() => {})
    await connect.close()
  }
}

process.exitCode = await main()
