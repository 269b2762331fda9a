import { ScopeSchema, type AuthMode } from '../../../shared/config'
import type { WidgetSummary } from '../../../shared/events'
import { ChipsInput } from '../components/ChipsInput'
import { JsonBlock } from '../components/JsonBlock'
import { YourServerPanel } from '../components/YourServerPanel'
import { Segmented, type SegmentedOption } from '../components/Segmented'
import { Badge } from '../components/VerdictBadge'
import { setWidgetAuth } from '../store/actions'
import { useWorkbench } from '../store/useWorkbench'
import { ProjectFolderCard } from './ProjectFolderCard'
import { ScreenHeader } from './ScreenHeader'

const MODES: SegmentedOption<AuthMode>[] = [
  {
    value: 'required',
    label: 'Required',
    hint: 'Sign-in required: anonymous calls get the Connect challenge',
  },
  {
    value: 'optional',
    label: 'Optional',
    hint: 'Runs anonymously, or as the user when a token is sent',
  },
  { value: 'none', label: 'None', hint: 'Public: no token needed' },
  {
    value: 'inherit',
    label: 'Inherit',
    hint: 'Required with the default scopes when auth is on; none when off',
  },
]

const validateScope = (token: string): string | null =>
  ScopeSchema.safeParse(token).success
    ? null
    : `"${token}" is not a valid scope (printable ASCII, no quotes or backslashes)`

function WidgetRow({ widget }: { widget: WidgetSummary }) {
  const mode = widget.override?.auth ?? widget.declaredMode
  const scopes = widget.override?.scopes ?? widget.declaredScopes
  const tone =
    widget.effectiveMode === 'required'
      ? 'warn'
      : widget.effectiveMode === 'optional'
        ? 'info'
        : 'neutral'
  return (
    <article className="widget-row card">
      <div className="widget-main">
        <header className="widget-head">
          <div>
            <h2>{widget.title}</h2>
            <code className="mono muted">{widget.id}</code>
          </div>
          <Badge tone={tone}>in force: {widget.effectiveMode}</Badge>
        </header>
        {widget.description && <p className="muted widget-desc">{widget.description}</p>}
        <div className="widget-controls">
          <Segmented
            label={widget.id}
            value={mode}
            options={MODES}
            onChange={(auth) =>
              void setWidgetAuth(widget.id, { auth, scopes: widget.override?.scopes })
            }
          />
          {widget.override ? (
            <button
              type="button"
              className="button button-small button-ghost"
              onClick={() => void setWidgetAuth(widget.id, null)}
            >
              Reset to declared ({widget.declaredMode})
            </button>
          ) : (
            <span className="muted small">
              as declared by the {widget.upstream ? 'upstream' : 'widget'}
            </span>
          )}
        </div>
        {widget.upstream && (
          <p className="small">
            <span className="muted">Upstream declares </span>
            <code>
              {widget.declaredMode}
              {widget.declaredScopes.length ? ` (${widget.declaredScopes.join(' ')})` : ''}
            </code>
            {widget.upstream.isWidget ? ' · renders a widget' : ' · plain tool'}
          </p>
        )}
        {widget.upstream?.warning && (
          <p className="warn-note small" role="status">
            ⚠ {widget.upstream.warning}
          </p>
        )}
        <div className="widget-scopes">
          <span className="field-label">
            Scopes {widget.override?.scopes ? '(override)' : '(declared)'}
          </span>
          <ChipsInput
            label={`Scopes of ${widget.id}`}
            values={scopes}
            validate={validateScope}
            placeholder="add a scope, Enter"
            onChange={(next) => void setWidgetAuth(widget.id, { auth: mode, scopes: next })}
          />
          {mode === 'inherit' && (
            <span className="field-hint">
              Inherit uses the default scopes from Auth; these apply if you pick Required or
              Optional.
            </span>
          )}
          <span className="field-hint">
            In force:{' '}
            {widget.effectiveScopes.length ? widget.effectiveScopes.join(' ') : 'no scopes'}
          </span>
        </div>
      </div>
      <JsonBlock label="securitySchemes" value={widget.securitySchemes} />
    </article>
  )
}

export function WidgetsScreen() {
  const widgets = useWorkbench((s) => s.app!.widgets)
  const errors = useWorkbench((s) => s.app!.widgetErrors)
  const gateway = useWorkbench((s) => s.app!.status.gateway ?? null)
  return (
    <div className="screen">
      <ScreenHeader
        title="Widgets"
        subtitle={
          <>
            Each change applies to the live server at once and is saved to the config; connected
            clients get <code>tools/list_changed</code>.
            {gateway ? (
              <>
                {' '}
                Serving the tools of <code>{gateway.target}</code>.
              </>
            ) : null}
          </>
        }
      />
      <YourServerPanel />
      {!gateway && <ProjectFolderCard />}
      {errors.length > 0 && (
        <div className="card card-error" role="alert">
          <h2>Widgets that failed to load</h2>
          <ul className="plain-list">
            {errors.map((e) => (
              <li key={`${e.widget}:${e.file}:${e.field}`}>
                <strong>{e.widget}</strong>{' '}
                <code>
                  {e.file}
                  {e.field ? ` → ${e.field}` : ''}
                </code>
                : {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {widgets.length === 0 && <div className="empty-state">No widgets are served.</div>}
      <div className="stack">
        {widgets.map((w) => (
          <WidgetRow key={w.id} widget={w} />
        ))}
      </div>
    </div>
  )
}
