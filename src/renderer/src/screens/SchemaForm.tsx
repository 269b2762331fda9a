import { useMemo, useState } from 'react'
import { schemaFields, type SchemaField } from '../preview/schemaFields'

function JsonField({
  field,
  value,
  onChange,
}: {
  field: SchemaField
  value: unknown
  onChange: (v: unknown) => void
}) {
  const [text, setText] = useState(() =>
    value === undefined ? '' : JSON.stringify(value, null, 2),
  )
  const [error, setError] = useState<string | null>(null)
  return (
    <>
      <textarea
        className="mono"
        rows={3}
        value={text}
        aria-label={field.label}
        onChange={(e) => {
          setText(e.target.value)
          if (e.target.value.trim() === '') return (setError(null), onChange(undefined))
          try {
            onChange(JSON.parse(e.target.value))
            setError(null)
          } catch {
            setError('Not valid JSON yet')
          }
        }}
      />
      {error && <span className="field-error">{error}</span>}
    </>
  )
}

/** A form generated from a widget's input schema. */
export function SchemaForm({
  schema,
  value,
  onChange,
}: {
  schema: Record<string, unknown>
  value: Record<string, unknown>
  onChange: (v: Record<string, unknown>) => void
}) {
  const fields = useMemo(() => schemaFields(schema), [schema])
  if (fields.length === 0) return <p className="muted small">This widget takes no input.</p>
  const set = (name: string, v: unknown): void => onChange({ ...value, [name]: v })
  return (
    <div className="schema-form">
      {fields.map((f) => {
        const current = Object.prototype.hasOwnProperty.call(value, f.name)
          ? value[f.name]
          : f.defaultValue
        const id = `input-${f.name}`
        return (
          <div className="field" key={f.name}>
            <label className="field-label" htmlFor={id}>
              {f.label}
              {f.required && (
                <span className="required" aria-label="required">
                  {' '}
                  *
                </span>
              )}
            </label>
            {f.kind === 'boolean' ? (
              <input
                id={id}
                type="checkbox"
                checked={Boolean(current)}
                onChange={(e) => set(f.name, e.target.checked)}
              />
            ) : f.kind === 'enum' ? (
              <select
                id={id}
                value={typeof current === 'string' ? current : ''}
                onChange={(e) => set(f.name, e.target.value)}
              >
                {!f.required && <option value="">—</option>}
                {f.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : f.kind === 'number' || f.kind === 'integer' ? (
              <input
                id={id}
                type="number"
                step={f.kind === 'integer' ? 1 : 'any'}
                value={typeof current === 'number' ? current : ''}
                onChange={(e) =>
                  set(f.name, e.target.value === '' ? undefined : Number(e.target.value))
                }
              />
            ) : f.kind === 'json' ? (
              <JsonField field={f} value={current} onChange={(v) => set(f.name, v)} />
            ) : (
              <input
                id={id}
                value={typeof current === 'string' ? current : ''}
                onChange={(e) => set(f.name, e.target.value)}
              />
            )}
            {f.description && <span className="field-hint">{f.description}</span>}
          </div>
        )
      })}
    </div>
  )
}
