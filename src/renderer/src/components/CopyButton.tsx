import { useEffect, useState } from 'react'

async function writeClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
  } catch {
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.className = 'offscreen'
    document.body.append(area)
    area.select()
    document.execCommand('copy')
    area.remove()
  }
}

export function CopyButton({
  text,
  label = 'Copy',
  disabledReason,
}: {
  text: string | null
  label?: string
  disabledReason?: string
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 1500)
    return () => clearTimeout(timer)
  }, [state])
  const disabled = !text
  return (
    <button
      type="button"
      className="button button-small copy-button"
      disabled={disabled}
      title={disabled ? disabledReason : `${label} to clipboard`}
      onClick={() =>
        text &&
        writeClipboard(text).then(
          () => setState('copied'),
          () => setState('failed'),
        )
      }
    >
      <span className={state === 'idle' ? '' : 'invisible'}>{label}</span>
      {state !== 'idle' && (
        <span className="copy-feedback" role="status">
          {state === 'copied' ? 'Copied ✓' : 'Failed'}
        </span>
      )}
    </button>
  )
}
