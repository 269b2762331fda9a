import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { startWorkbench } from '/work/wt/audit/test/support/workbenchFixture'
import { createWire } from '/work/wt/audit/src/main/audit/wire'
const fx = await startWorkbench({})
const wire = createWire()
for (const mode of ['legacy', { pin: '2026-07-28' }, 'auto'] as const) {
  const ev = wire.capture()
  const client = new Client({ name: 'audit', version: '1' }, { versionNegotiation: { mode } })
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(fx.workbench.mcpUrl()), { fetch: wire.fetch }))
    console.log(JSON.stringify(mode), 'version', client.getNegotiatedProtocolVersion?.() ?? (client as any).protocolVersion)
    const tools = await client.listTools()
    console.log(tools.tools.map((t: any) => [t.name, JSON.stringify(t.securitySchemes), JSON.stringify(t._meta?.securitySchemes)]))
    const r = await client.callTool({ name: 'see_past_orders', arguments: {} })
    console.log(JSON.stringify(r).slice(0, 400))
  } catch (e) { console.log(JSON.stringify(mode), 'ERR', (e as Error).constructor.name, (e as Error).message) }
  await client.close().catch(() => {})
  await wire.settle()
  console.log(ev.map((x) => `${x.request.method} ${x.request.body?.slice(0, 80)} -> ${x.response?.status} ${x.response?.body?.slice(0, 150)}`).join('\n'))
}
await fx.close()
