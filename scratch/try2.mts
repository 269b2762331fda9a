import { startWorkbench } from '/work/wt/audit/test/support/workbenchFixture'
import { createWire } from '/work/wt/audit/src/main/audit/wire'
import { openAuditSession } from '/work/wt/audit/src/main/audit/mcpSession'
const fx = await startWorkbench({})
const wire = createWire()
const ev = wire.capture()
const s = await openAuditSession(fx.workbench.mcpUrl(), wire, { era: 'legacy', timeoutMs: 5000 })
const r = await s.client.listTools()
console.log(s.messages.map((m) => JSON.stringify(m).slice(0, 300)))
const c = await s.client.callTool({ name: 'see_past_orders', arguments: {} })
await s.close()
console.log(ev.map((x) => `${x.request.method} -> ${x.response?.status} ${x.response?.body?.slice(0, 300)}`).join('\n'))
await fx.close()
