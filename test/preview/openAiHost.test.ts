import type { CallToolResult } from '@modelcontextprotocol/client'
import { describe, expect, it } from 'vitest'
import {
  createOpenAiHost,
  toolResponseMetadata,
  type OpenAiHostDeps,
} from '../../src/renderer/src/preview/openAiHost'

// window.openai's host side, over a real MessageChannel, as the injected bridge talks to it.

function setup(overrides: Partial<OpenAiHostDeps> = {}) {
  const channel = new MessageChannel()
  const log: [string, string][] = []
  const seen = {
    states: [] as unknown[],
    modals: [] as unknown[],
    closes: 0,
    openInApp: [] as string[],
    heights: [] as number[],
  }
  createOpenAiHost({
    port: channel.port1,
    record: (kind, text) => log.push([kind, text]),
    callTool: async (name) => ({
      content: [{ type: 'text', text: `ran ${name}` }],
      structuredContent: { n: 1 },
    }),
    setWidgetState: (s) => seen.states.push(s),
    requestDisplayMode: (m) => m,
    openExternal: async (href) => /^https:/.test(href),
    followUp: () => {},
    requestModal: async (r) => void seen.modals.push(r),
    requestClose: () => void seen.closes++,
    setOpenInAppUrl: (href) => seen.openInApp.push(href),
    resize: (h) => seen.heights.push(h),
    painted: () => {},
    ...overrides,
  })
  const widget = channel.port2
  let seq = 0
  const replies = new Map<number, (m: { result?: unknown; error?: string }) => void>()
  widget.onmessage = (e: MessageEvent) => replies.get(e.data.callId)?.(e.data)
  const request = (type: string, payload: unknown) =>
    new Promise<{ result?: unknown; error?: string }>((resolve) => {
      const callId = ++seq
      replies.set(callId, resolve)
      widget.postMessage({ type, payload, callId })
    })
  const close = () => (channel.port1.close(), channel.port2.close())
  return { request, log, seen, close, widget }
}

describe('window.openai host (issue 13 items 11, 12)', () => {
  it('item 11: requestModal, notifyIntrinsicHeight, requestClose, setOpenInAppUrl reach the host', async () => {
    const { request, seen, widget, close } = setup()
    expect(
      await request('requestModal', { template: 'ui://widget/modal.html', params: { a: 1 } }),
    ).toEqual({ callId: 1, type: 'response', result: undefined, error: undefined })
    expect(seen.modals).toEqual([{ template: 'ui://widget/modal.html', params: { a: 1 } }])
    widget.postMessage({ type: 'resize', payload: { height: 321 } })
    await request('requestClose', {})
    await request('setOpenInAppUrl', { href: 'https://app.example/x' })
    expect(seen.heights).toEqual([321])
    expect(seen.closes).toBe(1)
    expect(seen.openInApp).toEqual(['https://app.example/x'])
    close()
  })

  it('item 11: uploadFile returns a fileId that getFileDownloadUrl turns into a URL the frame can load', async () => {
    const { request, close } = setup()
    const file = new File(['hello'], 'a.txt', { type: 'text/plain' })
    const { result } = await request('uploadFile', { file })
    const fileId = (result as { fileId: string }).fileId
    expect(fileId).toMatch(/^file_[0-9a-f]{32}$/)
    const url = (await request('getFileDownloadUrl', { fileId })).result as { downloadUrl: string }
    expect(url.downloadUrl).toBe(`data:text/plain;base64,${btoa('hello')}`)
    expect((await request('getFileDownloadUrl', { fileId: 'file_nope' })).error).toMatch(
      /Unknown fileId/,
    )
    close()
  })

  it('item 11: toolResponseMetadata is the call envelope with the result _meta on top', () => {
    const result: CallToolResult = {
      content: [{ type: 'text', text: 't' }],
      structuredContent: { a: 1 },
      _meta: { 'openai/widgetSessionId': 's1' },
    }
    expect(toolResponseMetadata(result)).toEqual({
      'openai/widgetSessionId': 's1',
      status: 'success',
      call_tool_result: { content: result.content, structuredContent: { a: 1 } },
      mcp_tool_result: result,
      _meta: { 'openai/widgetSessionId': 's1' },
    })
    expect(toolResponseMetadata({ ...result, isError: true }).status).toBe('error')
  })

  it("item 12: callTool resolves with the result and ChatGPT's result text; openExternal refuses non-https", async () => {
    const { request, close } = setup()
    expect((await request('callTool', { name: 'x', args: {} })).result).toEqual({
      content: [{ type: 'text', text: 'ran x' }],
      structuredContent: { n: 1 },
      result: 'ran x',
    })
    expect((await request('openExternal', { href: 'javascript:alert(1)' })).error).toMatch(
      /will not open/,
    )
    expect((await request('nonsense', {})).error).toMatch(/no nonsense/)
    close()
  })

  it('item 12: widget state belongs to the instance: a new host starts with none', async () => {
    const first = setup()
    await first.request('setWidgetState', { count: 3 })
    expect(first.seen.states).toEqual([{ count: 3 }])
    first.close()
    const second = setup()
    expect(second.seen.states).toEqual([])
    second.close()
  })

  it("item 10: CSP reports: origins are flagged, the page's own eval probes are shown apart", async () => {
    const { widget, log, request, close } = setup()
    widget.postMessage({
      type: 'cspViolation',
      payload: { blockedURI: 'https://evil.example/x.js', directive: 'script-src' },
    })
    widget.postMessage({
      type: 'cspViolation',
      payload: { blockedURI: 'eval', directive: 'script-src' },
    })
    widget.postMessage({ type: 'frameError', payload: { message: 'boom', line: 3 } })
    await request('requestClose', {})
    expect(log.slice(0, 3)).toEqual([
      ['CSP blocked', 'https://evil.example/x.js (script-src)'],
      ['CSP (page code)', 'eval (script-src)'],
      ['uncaught error', 'boom (line 3)'],
    ])
    close()
  })
})
