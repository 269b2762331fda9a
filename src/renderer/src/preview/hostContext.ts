import type {
  McpUiDisplayMode,
  McpUiHostContext,
  McpUiStyles,
} from '@modelcontextprotocol/ext-apps/app-bridge'

export const HOST_DISPLAY_MODES: McpUiDisplayMode[] = ['inline', 'pip', 'fullscreen']
export const MAX_HEIGHT: Record<McpUiDisplayMode, number> = {
  inline: 560,
  pip: 360,
  fullscreen: 900,
}

const FONT_SANS =
  '"Workbench Sans", ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
/** Fonts for `styles.css.fonts`: local faces only, so no view needs a font origin in its CSP. */
const FONTS_CSS =
  '@font-face { font-family: "Workbench Sans"; src: local("Inter"), local("Segoe UI"), local("Roboto"), local("Helvetica Neue"), local("Arial"); }'
const FONT_MONO = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace'

const PALETTE = {
  light: {
    bg: ['#ffffff', '#f7f7f8', '#ececf1'],
    text: ['#0d0d0d', '#5d5d5d', '#8f8f8f'],
    border: '#e5e5e5',
  },
  dark: {
    bg: ['#212121', '#2f2f2f', '#3a3a3a'],
    text: ['#ececec', '#b4b4b4', '#8f8f8f'],
    border: '#424242',
  },
} as const

/** The CSS variables a ChatGPT-like host hands its views (MCP Apps `styles.variables`). */
export function hostStyleVariables(theme: 'light' | 'dark'): Partial<McpUiStyles> {
  const p = PALETTE[theme]
  return {
    '--color-background-primary': p.bg[0],
    '--color-background-secondary': p.bg[1],
    '--color-background-tertiary': p.bg[2],
    '--color-text-primary': p.text[0],
    '--color-text-secondary': p.text[1],
    '--color-text-tertiary': p.text[2],
    '--color-border-primary': p.border,
    '--color-text-danger': theme === 'light' ? '#d00e17' : '#ff6b6b',
    '--color-text-success': theme === 'light' ? '#008635' : '#4ade80',
    '--font-sans': FONT_SANS,
    '--font-mono': FONT_MONO,
    '--font-text-sm-size': '14px',
    '--font-text-md-size': '16px',
    '--border-radius-md': '8px',
    '--border-radius-lg': '12px',
  }
}

/** The host switches the Preview screen offers, and the frame's width. */
export interface HostSettings {
  theme: 'light' | 'dark'
  displayMode: McpUiDisplayMode
  locale: string
  width: number
}

export interface HostContextInput extends HostSettings {
  tool: {
    name: string
    inputSchema?: unknown
    title?: string
    description?: string
    _meta?: unknown
  } | null
  callId: number | null
}

/** The complete MCP Apps host context of a view (every field the spec defines). */
export function buildHostContext(input: HostContextInput): McpUiHostContext {
  const touch = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches
  return {
    ...(input.tool
      ? {
          toolInfo: {
            ...(input.callId !== null ? { id: input.callId } : {}),
            tool: input.tool as never,
          },
        }
      : {}),
    theme: input.theme,
    styles: {
      variables: hostStyleVariables(input.theme) as McpUiStyles,
      css: { fonts: FONTS_CSS },
    },
    displayMode: input.displayMode,
    availableDisplayModes: HOST_DISPLAY_MODES,
    containerDimensions: { maxHeight: MAX_HEIGHT[input.displayMode], width: input.width },
    locale: input.locale,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    platform: 'web',
    userAgent: 'MCP Auth Workbench Preview',
    deviceCapabilities: { touch, hover: !touch },
    safeAreaInsets: { top: 0, right: 0, bottom: 0, left: 0 },
  }
}

/** The fields of `next` that differ from `prev`: what `host-context-changed` carries. */
export function changedContext(
  prev: McpUiHostContext,
  next: McpUiHostContext,
): McpUiHostContext | null {
  const out: McpUiHostContext = {}
  for (const key of Object.keys(next)) {
    if (JSON.stringify(prev[key]) !== JSON.stringify(next[key])) out[key] = next[key]
  }
  return Object.keys(out).length ? out : null
}
