import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Client } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'

const require = createRequire(import.meta.url)

/** The real MCP Apps servers from the npm registry, as installed devDependencies. */
export const REAL_APPS = {
  react: '@modelcontextprotocol/server-basic-react',
  vanillajs: '@modelcontextprotocol/server-basic-vanillajs',
} as const

export function realAppEntry(pkg: string): string {
  // The package exports only its server module (dist/server.js); the CLI sits next to it.
  return join(dirname(require.resolve(pkg)), 'index.js')
}

/** Runs the app's server over stdio (never on the network) and returns its first tool and its view. */
export async function readRealApp(pkg: string): Promise<{
  tool: { name: string; title?: string; description?: string }
  html: string
  mimeType: string
}> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [realAppEntry(pkg), '--stdio'],
    stderr: 'ignore',
  })
  const client = new Client({ name: 'workbench-test', version: '1.0.0' })
  await client.connect(transport)
  try {
    const { tools } = await client.listTools()
    const tool = tools[0]
    const uri = (tool._meta?.ui as { resourceUri: string }).resourceUri
    const { contents } = await client.readResource({ uri })
    const content = contents[0] as { text: string; mimeType: string }
    return { tool, html: content.text, mimeType: content.mimeType }
  } finally {
    await client.close()
  }
}

/**
 * Serves a real app as a project widget (until the gateway exists): its view as the template, and a handler
 * that forwards the call to the real server over stdio (one server process per widget, its pid in `server.pid`).
 */
export async function writeRealAppWidget(projectDir: string, pkg: string): Promise<string> {
  const app = await readRealApp(pkg)
  const folder = join(projectDir, app.tool.name)
  await mkdir(folder, { recursive: true })
  const manifest = {
    title: app.tool.title ?? app.tool.name,
    description: app.tool.description ?? app.tool.name,
    auth: { mode: 'none' },
  }
  await writeFile(join(folder, 'widget.json'), JSON.stringify(manifest, null, 2))
  await writeFile(join(folder, 'template.html'), app.html)
  const clientUrl = pathToFileURL(require.resolve('@modelcontextprotocol/client')).href
  const stdioUrl = pathToFileURL(require.resolve('@modelcontextprotocol/client/stdio')).href
  await writeFile(
    join(folder, 'handler.js'),
    `import { writeFileSync } from 'node:fs'
import { Client } from ${JSON.stringify(clientUrl)}
import { StdioClientTransport } from ${JSON.stringify(stdioUrl)}
let connecting
function connect() {
  connecting ??= (async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [${JSON.stringify(realAppEntry(pkg))}, '--stdio'], stderr: 'ignore' })
    const client = new Client({ name: 'workbench-proxy', version: '1.0.0' })
    await client.connect(transport)
    writeFileSync(${JSON.stringify(join(folder, 'server.pid'))}, String(transport.pid))
    return client
  })()
  return connecting
}
export default async function (input) {
  const client = await connect()
  const result = await client.callTool({ name: ${JSON.stringify(app.tool.name)}, arguments: input })
  return { structuredContent: result.structuredContent ?? {}, content: result.content, ...(result._meta ? { _meta: result._meta } : {}) }
}
`,
  )
  return folder
}

/** Stops the real server a widget's handler started, if any. */
export async function stopRealAppServer(folder: string): Promise<void> {
  const pid = Number(await readFile(join(folder, 'server.pid'), 'utf8').catch(() => ''))
  if (pid > 0) {
    try {
      process.kill(pid)
    } catch {
      // already gone
    }
  }
}
