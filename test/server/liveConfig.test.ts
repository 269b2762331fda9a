import { readFile, writeFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'
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
  const tools = (await client.listTools()).tools as (Record<string, unknown> & { _meta?: Record<string, unknown> })[]
  return tools.find((t) => t.name === name)?._meta?.securitySchemes
}

describe('live auth modes', () => {
  it('applies a toggle at once, saves it, and notifies connected sessions', async () => {
    issuer = await startLocalIssuer()
    fx = await startWorkbench({ auth: { issuer: issuer.issuer } })
    const client = await fx.connect()
    let notified = 0
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void notified++)
    expect(await schemesOf(fx, 'public-widget')).toEqual([{ type: 'noauth' }])

    await fx.workbench.config.update((raw) => ({ ...raw, widgets: { 'public-widget': { auth: 'required', scopes: ['admin'] } } }))
    expect(await schemesOf(fx, 'public-widget')).toEqual([{ type: 'oauth2', scopes: ['admin'] }])
    const result = (await client.callTool({ name: 'public-widget', arguments: {} })) as CallToolResult
    expect(result.isError).toBe(true)
    await expect.poll(() => notified, settled).toBeGreaterThan(0)
    expect(JSON.parse(await readFile(fx.configPath, 'utf8')).widgets).toEqual({ 'public-widget': { auth: 'required', scopes: ['admin'] } })
  })

  it('applies an edit of the config file without a restart', async () => {
    issuer = await startLocalIssuer()
    fx = await startWorkbench({ auth: { issuer: issuer.issuer } })
    const raw = JSON.parse(await readFile(fx.configPath, 'utf8'))
    await writeFile(fx.configPath, JSON.stringify({ ...raw, widgets: { 'flexible-widget': { auth: 'none' } } }))
    await expect.poll(() => schemesOf(fx!, 'flexible-widget'), settled).toEqual([{ type: 'noauth' }])
  })

  it('keeps serving the last good config when the file turns bad, and names the field', async () => {
    issuer = await startLocalIssuer()
    fx = await startWorkbench({ auth: { issuer: issuer.issuer } })
    const raw = JSON.parse(await readFile(fx.configPath, 'utf8'))
    await writeFile(fx.configPath, JSON.stringify({ ...raw, widgets: { 'public-widget': { auth: 'sometimes' } } }))
    await expect.poll(() => fx!.workbench.status().configError, settled).toMatch(/widgets\.public-widget\.auth/)
    expect(await schemesOf(fx, 'public-widget')).toEqual([{ type: 'noauth' }])
    await expect(fx.workbench.config.update((r) => ({ ...r, server: { ...r.server, port: -1 } }))).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID', message: expect.stringMatching(/server\.port/) })
  })

  it('makes every widget public when auth is off, and inherit follows the default scopes when on', async () => {
    fx = await startWorkbench({ auth: { issuer: 'off' }, widgets: { 'protected-widget': { auth: 'inherit' } } })
    expect(await schemesOf(fx, 'protected-widget')).toEqual([{ type: 'noauth' }])
    expect((await fetch(`${fx.workbench.baseUrl()}/.well-known/oauth-protected-resource`)).status).toBe(404)
    issuer = await startLocalIssuer()
    await fx.workbench.config.update((r) => ({ ...r, auth: { issuer: issuer!.issuer, requiredScopes: ['user'] } }))
    expect(await schemesOf(fx, 'protected-widget')).toEqual([{ type: 'oauth2', scopes: ['user'] }])
  })

  it('follows the public URL at once in metadata and challenges', async () => {
    issuer = await startLocalIssuer()
    fx = await startWorkbench({ auth: { issuer: issuer.issuer } })
    await fx.workbench.setPublicUrl('https://abc123.ngrok-free.app')
    const prm = await (await fetch(`${fx.workbench.localBaseUrl()}/.well-known/oauth-protected-resource`)).json()
    expect(prm.resource).toBe('https://abc123.ngrok-free.app/mcp')
    expect(fx.workbench.status().connectorUrl).toBe('https://abc123.ngrok-free.app/mcp')
    expect(fx.workbench.isPublicHost('abc123.ngrok-free.app')).toBe(true)
  })
})
