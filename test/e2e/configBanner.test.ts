import { writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WorkbenchConfigInput } from '../../src/shared/config'
import { startHarness, type Harness } from './harness'

// Issue 9 item 12 and issue 8 item 15 on screen: the config error banner goes away on the next good
// load, and unknown keys are listed with the nearest valid key.

let h: Harness

beforeAll(async () => {
  // A misspelt key, as a person would type it (the typed config would refuse it).
  const config = { auth: { issuer: 'off' }, server: { handlerTimeoutMS: 5000 } }
  h = await startHarness({ config: config as WorkbenchConfigInput })
})
afterAll(async () => {
  await h?.close()
})

describe('the config banner on Overview', () => {
  it('shows a bad edit, clears once the file is good again, and lists unknown keys', async () => {
    const { page } = h
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor()
    const warning = page.getByRole('status').filter({ hasText: 'does not know' })
    await warning
      .getByText('server.handlerTimeoutMS: unknown key (did you mean server.handlerTimeoutMs?)')
      .waitFor()

    const good = JSON.stringify({ auth: { issuer: 'off' }, server: { port: h.workbench.port() } })
    await writeFile(h.configPath, '{ "server": { "port": "eighty" } }')
    const banner = page.getByRole('alert').filter({ hasText: 'Config file error' })
    await banner.getByText('server.port').waitFor()
    if (process.env.WORKBENCH_SCREENSHOTS)
      await page.screenshot({ path: process.env.WORKBENCH_SCREENSHOTS })

    await writeFile(h.configPath, good)
    await banner.waitFor({ state: 'detached' })
    await warning.waitFor({ state: 'detached' })
    expect(h.pageErrors).toEqual([])
  })
})
