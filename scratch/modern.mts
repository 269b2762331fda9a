import { createWire } from '/work/wt/audit/src/main/audit/wire'
import { openAuditSession } from '/work/wt/audit/src/main/audit/mcpSession'
import { startSdkExampleServer } from '/work/wt/audit/test/audit/fixtures/sdkExampleServer'
const a = await startSdkExampleServer()
const wire = createWire()
const ev = wire.capture()
const s = await openAuditSession(a.url, wire, { era: 'modern', token: await a.mint(), timeoutMs: 5000 })
const r = await s.client.listTools()
console.log('sdk tools', r.tools.length, 'messages', s.messages.map((m) => JSON.stringify(m).slice(0, 200)))
await s.close()
console.log(ev.map((x) => `${x.request.method} ${JSON.stringify(x.request.headers)} ${x.request.body?.slice(0, 200)} -> ${x.response?.status} ${x.response?.body?.slice(0, 300)}`).join('\n'))
await a.close()
