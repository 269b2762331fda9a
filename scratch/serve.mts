import { startWorkbench } from '/work/wt/audit/test/support/workbenchFixture'
const fx = await startWorkbench({})
const dev = fx.workbench.devIssuer()!
const t = await dev.mintForUser('dev|alice')
console.log(fx.workbench.mcpUrl(), t)
setTimeout(() => fx.close(), 120000)
