import { readFile, writeFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallToolResult } from '@modelcontextprotocol/client'
import { ERAS, startWorkbench, type Fixture } from '../support/workbenchFixture'
import { startLocalIssuer, type LocalIssuer } from '../support/localIssuer'

let fx: Fixture | undefined
let issuer: LocalIssuer | undefined
afterEach(async () => {
  await fx?.close()
  await issuer?.close()
  fx = issuer = undefined
})

/** Hot reload is asynchronous: poll for what the user would see, asserting it (the failure shows the last value). */
const settled = { timeout: 5000, interval: 25 }

async function schemesOf(fixture: Fixture, name: string) {
  const client = await fixture.connect()
  const tools = (await client.listTools()).tools as (Record<string, unknown> & {
    _meta?: Record<string, unknown>
  })[]
  return tools.find((t) => t.name === name)?._meta?.securitySchemes
}

describe('live auth modes', () => {
  it.each(ERAS)(
    'applies a toggle at once, saves it, and notifies connected %s clients',
    async (era) => {
      issuer = await startLocalIssuer()
      fx = await startWorkbench({ auth: { issuer: issuer.issuer } })
      let notified = 0
      const onChanged = () => void notified++
      const client = await fx.connect(undefined, era, {
        listChanged: { tools: { onChanged, autoRefresh: false } },
      })
      expect(await schemesOf(fx, 'public-widget')).toEqual([{ type: 'noauth' }])

      await fx.workbench.config.update((raw) => ({
        ...raw,
        widgets: { 'public-widget': { auth: 'required', scopes: ['admin'] } },
      }))
      expect(await schemesOf(fx, 'public-widget')).toEqual([{ type: 'oauth2', scopes: ['admin'] }])
      const result = (await client.callTool({
        name: 'public-widget',
        arguments: {},
      })) as CallToolResult
      expect(result.isError).toBe(true)
      await expect.poll(() => notified, settled).toBeGreaterThan(0)
      expect(JSON.parse(await readFile(fx.configPath, 'utf8')).widgets).toEqual({
        'public-widget': { auth: 'required', scopes: ['admin'] },
      })
    },
  )

  it('keeps the verifier and tells no client when a change does not touch auth or the tool list', async () => {
    issuer = await startLocalIssuer()
    fx = await startWorkbench({ auth: { issuer: issuer.issuer } })
    let notified = 0
    const onChanged = () => void notified++
    await fx.connect(undefined, 'legacy', {
      listChanged: { tools: { onChanged, autoRefresh: false } },
    })
    const verifier = fx.workbench.verifier()
    expect(verifier).not.toBeNull()
    await fx.workbench.config.update((raw) => ({
      ...raw,
      tunnel: { ...raw.tunnel, domain: 'stable.ngrok.app' },
    }))
    await fx.workbench.ready()
    expect(fx.workbench.config.get().tunnel.domain).toBe('stable.ngrok.app')
    expect(fx.workbench.verifier()).toBe(verifier)
    // A change that does touch auth rebuilds it, and clients hear about the list then.
    await fx.workbench.config.update((raw) => ({
      ...raw,
      auth: { ...raw.auth, requiredScopes: ['admin'] },
    }))
    await fx.workbench.ready()
    await expect.poll(() => notified, settled).toBeGreaterThan(0)
    expect(notified).toBe(1)
    expect(fx.workbench.verifier()).toBe(verifier)
    await fx.workbench.config.update((raw) => ({
      ...raw,
      auth: { ...raw.auth, clockToleranceSec: 5 },
    }))
    await fx.workbench.ready()
    expect(fx.workbench.verifier()).not.toBe(verifier)
  })

  it('applies an edit of the config file without a restart', async () => {
    issuer = await startLocalIssuer()
    fx = await startWorkbench({ auth: { issuer: issuer.issuer } })
    const raw = JSON.parse(await readFile(fx.configPath, 'utf8'))
    await writeFile(
      fx.configPath,
      JSON.stringify({ ...raw, widgets: { 'flexible-widget': { auth: 'none' } } }),
    )
    await expect
      .poll(() => schemesOf(fx!, 'flexible-widget'), settled)
      .toEqual([{ type: 'noauth' }])
  })

  it('keeps serving the last good config when the file turns bad, and names the field', async () => {
    issuer = await startLocalIssuer()
    fx = await startWorkbench({ auth: { issuer: issuer.issuer } })
    const raw = JSON.parse(await readFile(fx.configPath, 'utf8'))
    await writeFile(
      fx.configPath,
      JSON.stringify({ ...raw, widgets: { 'public-widget': { auth: 'sometimes' } } }),
    )
    await expect
      .poll(() => fx!.workbench.status().configError, settled)
      .toMatch(/widgets\.public-widget\.auth/)
    expect(await schemesOf(fx, 'public-widget')).toEqual([{ type: 'noauth' }])
    await expect(
      fx.workbench.config.update((r) => ({ ...r, server: { ...r.server, port: -1 } })),
    ).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      message: expect.stringMatching(/server\.port/),
    })
  })

  it('makes every widget public when auth is off, and inherit follows the default scopes when on', async () => {
    fx = await startWorkbench({
      auth: { issuer: 'off' },
      widgets: { 'protected-widget': { auth: 'inherit' } },
    })
    expect(await schemesOf(fx, 'protected-widget')).toEqual([{ type: 'noauth' }])
    expect(
      (await fetch(`${fx.workbench.baseUrl()}/.well-known/oauth-protected-resource`)).status,
    ).toBe(404)
    issuer = await startLocalIssuer()
    await fx.workbench.config.update((r) => ({
      ...r,
      auth: { issuer: issuer!.issuer, requiredScopes: ['user'] },
    }))
    expect(await schemesOf(fx, 'protected-widget')).toEqual([{ type: 'oauth2', scopes: ['user'] }])
  })

  it('follows the public URL at once in metadata and challenges', async () => {
    issuer = await startLocalIssuer()
    fx = await startWorkbench({ auth: { issuer: issuer.issuer } })
    await fx.workbench.setPublicUrl('https://abc123.ngrok-free.app')
    const prm = await (
      await fetch(`${fx.workbench.localBaseUrl()}/.well-known/oauth-protected-resource`)
    ).json()
    expect(prm.resource).toBe('https://abc123.ngrok-free.app/mcp')
    expect(fx.workbench.status().connectorUrl).toBe('https://abc123.ngrok-free.app/mcp')
    expect(fx.workbench.isPublicHost('abc123.ngrok-free.app')).toBe(true)
  })
})
