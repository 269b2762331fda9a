import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAuditStore, runAudit, formatReport } from '/work/wt/audit/src/main/audit'
import { startPerToolServer, type Defects } from '/work/wt/audit/test/audit/fixtures/perToolServer'
const dataDir = await mkdtemp(join(tmpdir(), 'audit-store-'))
const defects: Defects = { noHint: true, metaOnlySchemes: true }
const server = await startPerToolServer(defects)
const store = createAuditStore(dataDir)
const first = await runAudit({ target: server.url, timeoutMs: 5000, store })
console.log(formatReport(first))
delete defects.noHint; delete defects.metaOnlySchemes; defects.bare401 = true
const t = Date.now()
const second = await runAudit({ target: server.url, timeoutMs: 5000, store })
console.log(Date.now() - t, formatReport(second), second.comparison)
await server.close()
