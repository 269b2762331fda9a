import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { WorkbenchError } from '../shared/errors'
import type { RequestEvent } from '../shared/events'
import { resolveDataDir } from './config/dataDir'
import { createWorkbench, type Workbench } from './core'
import type { UiServer } from './bridge'
import { findResourcesDir } from './resourcesDir'
import { upstreamFromFlags } from './gateway/upstreamFlags'

const USAGE = `Usage: npm run serve -- [--config FILE] [--port N] [--host H] [--log] [--tunnel [--domain D]] [--no-ui]
                           [--upstream URL | --upstream-command "CMD ARGS…"]
  --config FILE  config file (default: <data dir>/config.json; created by the UI when you change something)
  --port N       port of the MCP server (0 = any free port; default from the config, else 8001)
  --host H       address to bind (default 127.0.0.1)
  --log          print one line per request
  --tunnel       start an ngrok tunnel (authtoken from NGROK_AUTHTOKEN or the stored one)
  --domain D     reserved ngrok domain for a stable URL
  --no-ui        do not serve the browser UI
  --upstream URL           gateway mode: stand in front of your Streamable HTTP MCP server
  --upstream-command "CMD" gateway mode: run your stdio MCP server (split like a shell, no shell runs)`

/** One line per request for `serve --log`; never a token. */
export function formatRequestLine(e: RequestEvent): string {
  const time = new Date(e.time).toISOString().slice(11, 23)
  const what = [e.rpcMethod, e.tool].filter(Boolean).join(' ')
  const who = e.identity ? e.identity.subject : 'anonymous'
  const era = e.protocol ? `${e.protocol.version ?? e.protocol.era} ` : ''
  return `${time} ${e.method} ${e.path} ${e.status} ${e.latencyMs.toFixed(1)}ms ${era}${what || '-'} ${who} ${e.verdict}${e.reason ? ` (${e.reason})` : ''}`
}

export interface Served {
  workbench: Workbench
  ui: UiServer | null
  close(): Promise<void>
}

export async function serve(argv: string[]): Promise<Served> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      log: { type: 'boolean', default: false },
      tunnel: { type: 'boolean', default: false },
      domain: { type: 'string' },
      'no-ui': { type: 'boolean', default: false },
      upstream: { type: 'string' },
      'upstream-command': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const port = values.port === undefined ? undefined : Number(values.port)
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw new WorkbenchError(
      'ERR_CONFIG_INVALID',
      `--port: expected a port number 0-65535, got "${values.port}"`,
    )
  const dataDir = resolveDataDir()
  const workbench = await createWorkbench({
    configPath: values.config ?? join(dataDir, 'config.json'),
    dataDir,
    port,
    host: values.host,
    upstream: upstreamFromFlags({
      upstream: values.upstream,
      upstreamCommand: values['upstream-command'],
    }),
    logLine: (line) => console.error(line),
  })
  if (values.log) workbench.log.subscribe((e) => console.log(formatRequestLine(e)))
  await workbench.listen()
  console.log(`MCP endpoint: ${workbench.mcpUrl()}`)
  await workbench.ready()
  const issuer = workbench.status().issuer
  console.log(
    `Auth: ${issuer.kind === 'off' ? 'off (every widget is public)' : `${issuer.kind === 'dev' ? 'development issuer' : 'issuer'} ${issuer.issuer ?? ''}`.trim()}`,
  )
  // Loaded after the endpoint is printed: the server answers while the UI and feature modules load.
  const [{ createWorkbenchApp }, { runTunnelForServe }, { createUiServer }] = await Promise.all([
    import('./appServices'),
    import('./tunnel'),
    import('./bridge'),
  ])
  const app = createWorkbenchApp({
    workbench,
    dataDir,
    mode: 'browser',
    // The UI opens the sign-in page in a new tab from connect:changed; headless there is no one to open it for.
    openUrl: (url) => console.log(`Connect: sign in at ${url}`),
    logLine: (line) => console.error(line),
  })
  if (values.tunnel)
    await runTunnelForServe({
      workbench,
      tunnel: app.tunnel,
      domain: values.domain ?? null,
      dataDir,
      print: (line) => console.log(line),
      logLine: (line) => console.error(line),
    })
  let ui: UiServer | null = null
  if (!values['no-ui']) {
    ui = await createUiServer({
      handlers: app.handlers,
      events: app.events,
      staticDir: join(dirname(findResourcesDir()), 'out', 'renderer'),
    })
    console.log(`Workbench UI: ${ui.url}`)
  }
  return {
    workbench,
    ui,
    async close() {
      await ui?.close()
      await app.close()
    },
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')
if (isMain) {
  serve(process.argv.slice(2)).then(
    (served) => {
      let stopping = false
      const stop = () => {
        if (stopping) process.exit(130)
        stopping = true
        console.log('\nStopping…')
        served.close().then(
          () => process.exit(0),
          () => process.exit(1),
        )
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    },
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err)
      console.error(`Error: ${message}`)
      if ((err as { code?: string }).code === 'EADDRINUSE')
        console.error('The port is taken: pass --port 0 for any free port, or another number.')
      if (err instanceof TypeError && /parseArgs|Unknown option/i.test(message))
        console.error(USAGE)
      process.exit(1)
    },
  )
}
