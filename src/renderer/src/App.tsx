import { useEffect } from 'react'
import { ConnectionBanner } from './components/ConnectionBanner'
import { Sidebar } from './components/Sidebar'
import { Toasts } from './components/Toasts'
import { screenForShortcut } from './screens'
import { AuditScreen } from './screens/AuditScreen'
import { AuthScreen } from './screens/AuthScreen'
import { OverviewScreen } from './screens/OverviewScreen'
import { PreviewScreen } from './screens/PreviewScreen'
import { RequestsScreen } from './screens/RequestsScreen'
import { TokensScreen } from './screens/TokensScreen'
import { TunnelScreen } from './screens/TunnelScreen'
import { WidgetsScreen } from './screens/WidgetsScreen'
import { useWorkbench } from './store/useWorkbench'

function useThemeAttribute(): void {
  const theme = useWorkbench((s) => s.theme)
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme
    else document.documentElement.dataset.theme = theme
  }, [theme])
}

function useScreenShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const screen = screenForShortcut(e)
      if (!screen) return
      e.preventDefault()
      useWorkbench.getState().setScreen(screen)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}

function CurrentScreen() {
  const screen = useWorkbench((s) => s.screen)
  const ready = useWorkbench((s) => s.app !== null)
  if (!ready) return <div className="empty-state">Connecting to the Workbench…</div>
  switch (screen) {
    case 'overview':
      return <OverviewScreen />
    case 'auth':
      return <AuthScreen />
    case 'widgets':
      return <WidgetsScreen />
    case 'requests':
      return <RequestsScreen />
    case 'tokens':
      return <TokensScreen />
    case 'preview':
      return <PreviewScreen />
    case 'tunnel':
      return <TunnelScreen />
    case 'audit':
      return <AuditScreen />
  }
}

export function App() {
  useThemeAttribute()
  useScreenShortcuts()
  const stale = useWorkbench((s) => s.connection !== 'open' && s.app !== null)
  return (
    <div className="app">
      <Sidebar />
      <main className={`main ${stale ? 'stale' : ''}`} aria-busy={stale}>
        <ConnectionBanner />
        <CurrentScreen />
      </main>
      <Toasts />
    </div>
  )
}
