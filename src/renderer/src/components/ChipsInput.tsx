import { useState, type KeyboardEvent } from 'react'

/** Chips for a list of tokens (scopes): Enter, space or comma adds, Backspace on empty removes the last. */
export function ChipsInput({
  label,
  values,
  onChange,
  placeholder,
  validate,
  disabled,
}: {
  label: string
  values: string[]
  onChange: (values: string[]) => void
  placeholder?: string
  /** Returns an error message, or null when the token is fine. */
  validate?: (token: string) => string | null
  disabled?: boolean
}) {
  const [draft, setDraft] = useState('')
  const [error, setError] = useState<string | null>(null)
  const commit = (): void => {
    const tokens = draft.split(/[\s,]+/).filter(Boolean)
    if (tokens.length === 0) return
    for (const token of tokens) {
      const problem = validate?.(token) ?? null
      if (problem) return setError(problem)
    }
    setError(null)
    setDraft('')
    const next = [...values]
    for (const t of tokens) if (!next.includes(t)) next.push(t)
    if (next.length !== values.length) onChange(next)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter' || e.key === ',' || e.key === ' ') {
      e.preventDefault()
      commit()
    } else if (e.key === 'Backspace' && draft === '' && values.length > 0) {
      onChange(values.slice(0, -1))
    }
  }
  return (
    <div className="chips-field">
      <div className={`chips-input ${disabled ? 'disabled' : ''}`}>
        {values.map((v) => (
          <span className="chip" key={v}>
            <span className="mono">{v}</span>
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove ${v} from ${label}`}
              disabled={disabled}
              onClick={() => onChange(values.filter((x) => x !== v))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          aria-label={label}
          value={draft}
          disabled={disabled}
          placeholder={values.length === 0 ? placeholder : ''}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={commit}
        />
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  )
}
