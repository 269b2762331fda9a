import { CopyButton } from './CopyButton'

export function JsonBlock({ value, label, maxHeight }: { value: unknown; label?: string; maxHeight?: number }) {
  const text = value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value, null, 2)
  return (
    <div className="json-block">
      {label && (
        <div className="json-head">
          <span>{label}</span>
          <CopyButton text={text} />
        </div>
      )}
      <pre className="mono" style={maxHeight ? { maxHeight } : undefined}>{text}</pre>
    </div>
  )
}
