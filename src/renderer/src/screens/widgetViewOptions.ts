import { callToolFromWidget, recordHostMessage } from '../preview/previewActions'
import { serverLists, serverRequest } from '../preview/previewData'
import type { PreviewViewOptions } from '../preview/previewView'
import type { IdentityChoice } from '../../../shared/contract'
import { openExternal } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'

type Store = ReturnType<typeof useWorkbench.getState>

export const clip = (text: string, max = 400): string =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text

export function notice(patch: Partial<Store['previewNotices']>): void {
  useWorkbench.setState((s) => ({ previewNotices: { ...s.previewNotices, ...patch } }))
}

function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export interface ViewHooks {
  identity(): IdentityChoice
  callId: number
  resize(height: number): void
  requestModal: PreviewViewOptions['openai']['requestModal']
}

/** The host services every view of a widget gets: the inline view and the modals it opens. */
export function viewServices(h: ViewHooks): Pick<PreviewViewOptions, 'mcp' | 'openai'> {
  return {
    mcp: {
      record: (direction, message) =>
        recordHostMessage({
          kind: (message as { method?: string }).method ?? 'response',
          direction,
          text: clip(JSON.stringify(message)),
        }),
      serverTools: async () => (await serverLists(h.identity())).tools,
      callTool: callToolFromWidget,
      serverRequest: (method, params) => serverRequest(method, params, h.identity()),
      openLink: async (url) => (await openExternal(url), true),
      downloadFile: async (contents) => {
        for (const item of contents) {
          if (item.type === 'resource' && 'text' in item.resource)
            downloadBlob(
              item.resource.uri.split('/').pop() || 'download',
              new Blob([item.resource.text]),
            )
          else if (item.type === 'resource' && 'blob' in item.resource) {
            const bytes = Uint8Array.from(atob(item.resource.blob), (c) => c.charCodeAt(0))
            downloadBlob(
              item.resource.uri.split('/').pop() || 'download',
              new Blob([bytes], { type: item.resource.mimeType }),
            )
          } else if (item.type === 'resource_link' && /^https?:/.test(item.uri))
            await openExternal(item.uri)
          else return false
        }
        return true
      },
      message: (content) =>
        recordHostMessage({ kind: 'chat message', text: clip(JSON.stringify(content)) }),
      updateModelContext: (params) => notice({ modelContext: clip(JSON.stringify(params), 2000) }),
      resize: (size) => size.height !== undefined && h.resize(size.height),
      log: (level, data) =>
        recordHostMessage({
          kind: `log ${level}`,
          text: clip(typeof data === 'string' ? data : JSON.stringify(data)),
        }),
    },
    openai: {
      record: (kind, text) =>
        recordHostMessage({
          kind,
          text: clip(text),
          direction: /^(CSP|uncaught)/.test(kind) ? 'frame' : 'window.openai',
        }),
      callTool: callToolFromWidget,
      openExternal: async (href) => /^https?:\/\//i.test(href) && (await openExternal(href), true),
      followUp: (prompt) => recordHostMessage({ kind: 'follow-up message', text: prompt }),
      requestModal: h.requestModal,
      setOpenInAppUrl: (href) => notice({ openInAppUrl: href }),
      resize: h.resize,
      painted: (at) =>
        useWorkbench.setState((s) => ({
          previewCall:
            s.previewCall?.id === h.callId ? { ...s.previewCall, paintedAt: at } : s.previewCall,
        })),
    },
  }
}
