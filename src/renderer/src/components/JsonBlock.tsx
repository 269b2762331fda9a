import { formatJson } from '../format'
import { CopyButton } from './CopyButton'

export function JsonBlock({
  value,
  label,
  maxHeight,
}: {
  value: unknown
  label?: string
  maxHeight?: number
}) {
  const text = value === undefined ? '—' : typeof value === 'string' ? value : formatJson(value)
  return (
    <div className="json-block">
      {label && (
        <div className="json-head">
          <span>{label}</span>
          <CopyButton text={text} />
        </div>
      )}
      <pre className="mono" style={maxHeight ? { maxHeight } : undefined}>
        {text}
      </pre>
    </div>
  )
}
