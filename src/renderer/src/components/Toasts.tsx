import { useEffect } from 'react'
import { useWorkbench } from '../store/useWorkbench'
import type { Toast } from '../store/types'

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useWorkbench((s) => s.dismissToast)
  useEffect(() => {
    const timer = setTimeout(() => dismiss(toast.id), toast.kind === 'error' ? 9000 : 3500)
    return () => clearTimeout(timer)
  }, [toast.id, toast.kind, dismiss])
  return (
    <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <div>
        <div className="toast-title">{toast.title}</div>
        {toast.detail && <div className="toast-detail">{toast.detail}</div>}
      </div>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss"
        onClick={() => dismiss(toast.id)}
      >
        ×
      </button>
    </div>
  )
}

export function Toasts() {
  const toasts = useWorkbench((s) => s.toasts)
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  )
}
