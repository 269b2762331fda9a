import type { Screen } from './store/types'

export interface ScreenInfo {
  id: Screen
  label: string
  key: string
}

/** Sidebar order; Ctrl/Cmd + key opens each. */
export const SCREENS: ScreenInfo[] = [
  { id: 'overview', label: 'Overview', key: '1' },
  { id: 'auth', label: 'Auth', key: '2' },
  { id: 'widgets', label: 'Widgets', key: '3' },
  { id: 'requests', label: 'Requests', key: '4' },
  { id: 'tokens', label: 'Tokens', key: '5' },
  { id: 'preview', label: 'Preview', key: '6' },
  { id: 'tunnel', label: 'Tunnel', key: '7' },
  { id: 'audit', label: 'Audit', key: '8' },
]

/** The screen a shortcut opens, or null. Pure, so the keyboard map is tested without a DOM. */
export function screenForShortcut(e: {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}): Screen | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return null
  return SCREENS.find((s) => s.key === e.key)?.id ?? null
}
