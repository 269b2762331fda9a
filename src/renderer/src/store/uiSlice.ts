import type { StateCreator } from 'zustand'
import type { ThemePreference, UiSlice, WorkbenchStore } from './types'

const THEME_KEY = 'workbench.theme'
const MAX_TOASTS = 4
let nextToastId = 1

export function readStoredTheme(): ThemePreference {
  try {
    const value = globalThis.localStorage?.getItem(THEME_KEY)
    return value === 'light' || value === 'dark' ? value : 'system'
  } catch {
    return 'system'
  }
}

export const createUiSlice: StateCreator<WorkbenchStore, [], [], UiSlice> = (set) => ({
  screen: 'overview',
  theme: readStoredTheme(),
  toasts: [],
  setScreen: (screen) => set({ screen }),
  setTheme: (theme) => {
    try {
      if (theme === 'system') globalThis.localStorage?.removeItem(THEME_KEY)
      else globalThis.localStorage?.setItem(THEME_KEY, theme)
    } catch {
      // Storage may be unavailable (private mode); the choice then lasts for this session only.
    }
    set({ theme })
  },
  pushToast: (toast) =>
    set((s) => ({ toasts: [...s.toasts, { ...toast, id: nextToastId++ }].slice(-MAX_TOASTS) })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
})
