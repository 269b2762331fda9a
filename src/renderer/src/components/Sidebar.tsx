import { SCREENS } from '../screens'
import { useWorkbench } from '../store/useWorkbench'
import type { ThemePreference } from '../store/types'

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform)

function StatusDot() {
  const listening = useWorkbench((s) => s.app?.status.listening ?? false)
  const connection = useWorkbench((s) => s.connection)
  const ok = connection === 'open' && listening
  return (
    <span
      className={`dot ${ok ? 'dot-ok' : connection === 'open' ? 'dot-warn' : 'dot-bad'}`}
      aria-hidden="true"
    />
  )
}

function LogCount() {
  const count = useWorkbench((s) => s.events.length)
  return count > 0 ? <span className="nav-count">{count > 9999 ? '10k' : count}</span> : null
}

export function Sidebar() {
  const screen = useWorkbench((s) => s.screen)
  const setScreen = useWorkbench((s) => s.setScreen)
  const theme = useWorkbench((s) => s.theme)
  const setTheme = useWorkbench((s) => s.setTheme)
  return (
    <nav className="sidebar" aria-label="Screens">
      <div className="brand">
        <StatusDot />
        <span>MCP Auth Workbench</span>
      </div>
      <ul className="nav">
        {SCREENS.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className={`nav-item ${screen === s.id ? 'active' : ''}`}
              aria-current={screen === s.id ? 'page' : undefined}
              aria-keyshortcuts={`${isMac ? 'Meta' : 'Control'}+${s.key}`}
              onClick={() => setScreen(s.id)}
            >
              <span>{s.label}</span>
              {s.id === 'requests' && <LogCount />}
              <kbd>
                {isMac ? '⌘' : 'Ctrl '}
                {s.key}
              </kbd>
            </button>
          </li>
        ))}
      </ul>
      <label className="theme-switch">
        <span>Theme</span>
        <select
          value={theme}
          onChange={(e) => setTheme(e.target.value as ThemePreference)}
          aria-label="Theme"
        >
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
    </nav>
  )
}
