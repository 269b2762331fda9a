import { useEffect } from 'react'
import { IdentityPicker, isIdentityReady } from '../components/IdentityPicker'
import { Card, Field } from '../components/Field'
import { Segmented } from '../components/Segmented'
import { cancelPreview, callPreview } from '../preview/previewActions'
import { useWorkbench } from '../store/useWorkbench'
import type { PreviewDisplayMode } from '../store/types'
import { SchemaForm } from './SchemaForm'

const LOCALES = ['en-US', 'fr-FR', 'de-DE', 'ja-JP', 'es-ES']
const EMPTY: Record<string, unknown> = {}

export function PreviewControls() {
  const widgets = useWorkbench((s) => s.app!.widgets)
  const widgetErrors = useWorkbench((s) => s.app!.widgetErrors)
  const widgetId = useWorkbench((s) => s.previewWidgetId)
  const input = useWorkbench(
    (s) => (s.previewWidgetId ? s.previewInputs[s.previewWidgetId] : undefined) ?? EMPTY,
  )
  const identity = useWorkbench((s) => s.previewIdentity)
  const busy = useWorkbench((s) => s.previewBusy)
  const { setPreviewWidget, setPreviewInput, setPreviewIdentity } = useWorkbench.getState()
  const widget = widgets.find((w) => w.id === widgetId) ?? null
  // The selection follows the served widgets: a widget that went away gives way to the first one still served.
  useEffect(() => {
    if (widget || widgets.length === 0) return
    setPreviewWidget(widgets[0].id)
  }, [widget, widgets, setPreviewWidget])
  const callReason = !widget
    ? widgets.length === 0
      ? 'No widget is served'
      : 'Choose a widget'
    : !isIdentityReady(identity)
      ? 'Paste a token first'
      : null
  return (
    <Card title="Call a widget" className="preview-controls">
      <Field label="Widget">
        <select value={widget ? widget.id : ''} onChange={(e) => setPreviewWidget(e.target.value)}>
          {!widget && <option value="">{widgets.length ? 'Choose a widget' : 'No widgets'}</option>}
          {widgets.map((w) => (
            <option key={w.id} value={w.id}>
              {w.title} ({w.id}) · {w.effectiveMode}
            </option>
          ))}
        </select>
      </Field>
      {widgetErrors.length > 0 && (
        <ul className="broken-widgets small" aria-label="Broken widgets">
          {widgetErrors.map((e) => (
            <li key={`${e.widget}:${e.file}`} className="inline-error">
              <strong>{e.widget}</strong> is not served: {e.field ? `${e.field}: ` : ''}
              {e.message} <span className="muted mono">({e.file})</span>
            </li>
          ))}
        </ul>
      )}
      {widget && (
        <SchemaForm
          key={widget.id}
          schema={widget.inputSchema}
          value={input}
          onChange={(v) => setPreviewInput(widget.id, v)}
        />
      )}
      <IdentityPicker value={identity} onChange={setPreviewIdentity} label="Call as" />
      <button
        type="button"
        className="button button-primary button-wide"
        disabled={callReason !== null || busy}
        title={callReason ?? 'Call through the real server (it appears in Requests)'}
        onClick={() => void callPreview()}
      >
        {busy ? 'Calling…' : 'Call widget'}
      </button>
      {busy && (
        <button
          type="button"
          className="button button-wide"
          onClick={cancelPreview}
          title="The view gets ui/notifications/tool-cancelled"
        >
          Cancel
        </button>
      )}
      {callReason && <p className="unavailable">⊘ {callReason}</p>}
    </Card>
  )
}

export function HostSwitches() {
  const theme = useWorkbench((s) => s.previewTheme)
  const displayMode = useWorkbench((s) => s.previewDisplayMode)
  const locale = useWorkbench((s) => s.previewLocale)
  const { setPreviewTheme, setPreviewDisplayMode, setPreviewLocale } = useWorkbench.getState()
  return (
    <div className="host-switches">
      <Segmented
        label="Widget theme"
        value={theme}
        onChange={setPreviewTheme}
        options={[
          { value: 'light', label: 'Light' },
          { value: 'dark', label: 'Dark' },
        ]}
      />
      <Segmented<PreviewDisplayMode>
        label="Display mode"
        value={displayMode}
        onChange={setPreviewDisplayMode}
        options={[
          { value: 'inline', label: 'Inline' },
          { value: 'pip', label: 'PiP' },
          { value: 'fullscreen', label: 'Fullscreen' },
        ]}
      />
      <select aria-label="Locale" value={locale} onChange={(e) => setPreviewLocale(e.target.value)}>
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
    </div>
  )
}
