import type { StateCreator } from 'zustand'
import type { PreviewSlice, WorkbenchStore } from './types'
import { readStoredTheme } from './uiSlice'

function resolvedTheme(): 'light' | 'dark' {
  const stored = readStoredTheme()
  if (stored !== 'system') return stored
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light'
}

export const createPreviewSlice: StateCreator<WorkbenchStore, [], [], PreviewSlice> = (set) => ({
  previewWidgetId: null,
  previewInputs: {},
  previewIdentity: { kind: 'anonymous' },
  previewResult: null,
  previewArgs: null,
  previewBusy: false,
  previewTemplate: null,
  retryAfterConnect: false,
  previewRenderKey: 0,
  previewTheme: resolvedTheme(),
  previewDisplayMode: 'inline',
  previewLocale: 'en-US',
  previewCall: null,
  previewNotices: { openInAppUrl: null, modelContext: null },
  widgetChallenge: null,
  hostMessages: [],
  setPreviewWidget: (id) =>
    set({
      previewWidgetId: id,
      previewResult: null,
      previewArgs: null,
      previewTemplate: null,
      previewCall: null,
      hostMessages: [],
    }),
  setPreviewInput: (widgetId, input) =>
    set((s) => ({ previewInputs: { ...s.previewInputs, [widgetId]: input } })),
  setPreviewIdentity: (identity) => set({ previewIdentity: identity }),
  setPreviewTheme: (previewTheme) => set({ previewTheme }),
  setPreviewDisplayMode: (previewDisplayMode) => set({ previewDisplayMode }),
  setPreviewLocale: (previewLocale) => set({ previewLocale }),
})
