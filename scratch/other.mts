import { runAudit, formatReport } from '/work/wt/audit/src/main/audit'
import { startSdkExampleServer } from '/work/wt/audit/test/audit/fixtures/sdkExampleServer'
import { startVanillaServer } from '/work/wt/audit/test/audit/fixtures/vanillaServer'
const a = await startSdkExampleServer()
console.log(formatReport(await runAudit({ target: a.url, token: await a.mint(), timeoutMs: 5000 })))
console.log(formatReport(await runAudit({ target: a.url, timeoutMs: 5000 })))
await a.close()
const b = await startVanillaServer()
console.log(formatReport(await runAudit({ target: b.url, timeoutMs: 5000 })))
await b.close()
