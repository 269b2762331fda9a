// Headless Connect: `npm run connect -- [--as chatgpt] [--scope S] [--client-id ID [--client-secret S]]
//   [--client-metadata-url URL] [--prompt login|select_account] <mcp-url>`
// Signs in the way ChatGPT does, lists the tools, calls each one as the signed-in identity, prints who that is.
import { parseArgs } from 'node:util'
import {
  Client,
  StreamableHTTPClientTransport,
  type VersionNegotiationMode,
} from '@modelcontextprotocol/client'
import { createConnectClient, type PreRegisteredClient } from '../src/main/connect'
import { serveChatGptDocument } from '../src/main/connect/serveChatGptDocument'
import { printConnectProgress } from '../src/main/connect/printConnectProgress'
import {
  acceptWithDefaults,
  sampleArguments,
  scriptedToolCalls,
} from '../src/main/connect/cliToolCalls'
import { openInBrowser } from './openInBrowser'

// The conformance runner's fixed Client ID Metadata Document (its own scenarios host it); used only under the runner.
const CONFORMANCE_CIMD_URL = 'https://conformance-test.local/client-metadata.json'

const USAGE =
  'usage: npm run connect -- [--as chatgpt] [--scope S] [--client-id ID] [--client-secret S] ' +
  '[--client-metadata-url URL] [--prompt login|select_account] [--browser-timeout SECONDS] <mcp-url>'

/** Pre-registered credentials: flags first, else the conformance runner's context (MCP_CONFORMANCE_CONTEXT). */
function preRegistered(values: {
  'client-id'?: string
  'client-secret'?: string
}): PreRegisteredClient | undefined {
  if (values['client-id'])
    return { clientId: values['client-id'], clientSecret: values['client-secret'] }
  const raw = process.env.MCP_CONFORMANCE_CONTEXT
  if (!raw) return undefined
  try {
    const context = JSON.parse(raw) as { client_id?: unknown; client_secret?: unknown }
    if (typeof context.client_id === 'string')
      return {
        clientId: context.client_id,
        clientSecret: typeof context.client_secret === 'string' ? context.client_secret : undefined,
      }
  } catch {
    process.stderr.write('MCP_CONFORMANCE_CONTEXT is not JSON; ignored.\n')
  }
  return undefined
}

/** The era to speak: the runner's requested version when it sets one, else probe the server. */
function negotiation(): VersionNegotiationMode {
  const version = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION
  if (!version) return 'auto'
  return version >= '2026-07-28' ? { pin: version } : 'legacy'
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      as: { type: 'string' },
      scope: { type: 'string' },
      prompt: { type: 'string' },
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
  if (values.as !== undefined && values.as !== 'chatgpt') {
    process.stderr.write(`--as takes "chatgpt" (got "${values.as}").\n${USAGE}\n`)
    return 2
  }
  if (
    values.prompt !== undefined &&
    values.prompt !== 'login' &&
    values.prompt !== 'select_account'
  ) {
    process.stderr.write(`--prompt takes login or select_account (got "${values.prompt}").\n`)
    return 2
  }
  const chatgpt = values.as === 'chatgpt' ? await serveChatGptDocument() : null
  const connect = createConnectClient({
    openUrl: (url) => {
      process.stdout.write(`Open this URL to sign in (trying your browser):\n  ${url}\n`)
      openInBrowser(url)
    },
    clientName: 'MCP Auth Workbench (connect CLI)',
    clientMetadataUrl:
      values['client-metadata-url'] ??
      process.env.CONNECT_CLIENT_METADATA_URL ??
      (process.env.MCP_CONFORMANCE_SCENARIO ? CONFORMANCE_CIMD_URL : undefined),
    preRegistered: preRegistered(values),
    chatgpt: chatgpt?.profile,
    followRedirects: true,
    browserTimeoutMs: values['browser-timeout']
      ? Number(values['browser-timeout']) * 1000
      : undefined,
  })
  const stopProgress = printConnectProgress(connect, (line) => process.stderr.write(`${line}\n`))

  const client = new Client(
    { name: 'mcp-auth-workbench-connect', version: '1.0.0' },
    { versionNegotiation: { mode: negotiation() }, capabilities: { elicitation: { form: {} } } },
  )
  // Headless: an elicitation form is accepted with its defaults, and said so.
  client.setRequestHandler('elicitation/create', async (request) => {
    const params = request.params as { message?: string; requestedSchema?: unknown }
    process.stdout.write(
      `  the server asks: ${params.message ?? '(no message)'}; accepting with defaults\n`,
    )
    return acceptWithDefaults(params.requestedSchema)
  })
  let failures = 0
  try {
    // A --scope or --prompt is what the person wants from the start; otherwise scopes come from the server's challenge.
    if (values.scope || values.prompt || chatgpt) {
      const prompt = values.prompt as 'login' | 'select_account' | undefined
      await connect.start(target, {
        scope: values.scope,
        eager: true,
        prompt,
        asChatGpt: chatgpt !== null,
      })
      if (connect.state().state === 'failed')
        throw new Error(connect.state().error ?? 'Connect failed')
    }
    await client.connect(
      new StreamableHTTPClientTransport(new URL(target), { fetch: connect.fetch }),
    )
    const { tools } = await client.listTools()
    process.stdout.write(
      `Tools (${tools.length}): ${tools.map((t) => t.name).join(', ') || '(none)'}\n`,
    )
    const calls =
      scriptedToolCalls(process.env.MCP_CONFORMANCE_CONTEXT) ??
      tools.map((t) => ({ name: t.name, arguments: sampleArguments(t.inputSchema) }))
    for (const call of calls) {
      const tool = { name: call.name }
      let result
      try {
        result = await client.callTool(call)
      } catch (err) {
        failures++
        process.stdout.write(`  ${tool.name}: failed: ${(err as Error).message}\n`)
        continue
      }
      const challenge = (result._meta as Record<string, unknown> | undefined)?.[
        'mcp/www_authenticate'
      ]
      if (result.isError && challenge) {
        const scope = /scope="([^"]*)"/.exec(
          String(Array.isArray(challenge) ? challenge[0] : challenge),
        )?.[1]
        process.stdout.write(
          `  ${tool.name}: the server asks for sign-in${scope ? ` with "${scope}"` : ''}; signing in\n`,
        )
        await connect.stepUp(scope ?? '')
        result = await client.callTool(call)
      }
      const content = result.content as { type: string; text?: string }[] | undefined
      const text =
        content?.find((c) => c.type === 'text')?.text ??
        JSON.stringify(result.structuredContent ?? {})
      process.stdout.write(
        `  ${tool.name}: ${result.isError ? 'error' : 'ok'} ${text.slice(0, 200)}\n`,
      )
    }
    const identity = connect.state().identity
    process.stdout.write(
      identity
        ? `Signed in as ${identity.subject} with scopes [${identity.scopes.join(' ')}] (client ${identity.clientId ?? 'unknown'})\n`
        : 'Not signed in: the server never asked for a token.\n',
    )
    // Sign-in is what Connect answers for: a tool that fails is printed, not an exit status.
    if (failures) process.stdout.write(`${failures} tool call(s) failed (see above).\n`)
    return 0
  } catch (err) {
    const state = connect.state()
    process.stderr.write(`Connect failed: ${state.error ?? (err as Error).message}\n`)
    return 1
  } finally {
    stopProgress()
    await client.close().catch(() => {})
    await connect.close()
    await chatgpt?.close()
  }
}

process.exitCode = await main()
