import type { ConnectClient } from './connectTypes'

const MARK = { ok: '✓', failed: '✗', skipped: '–' } as const

/**
 * The CLI's progress: each step once, when it settles (ok, failed or skipped), a ChatGPT verdict once,
 * and one line when Connect starts waiting for the browser.
 */
export function printConnectProgress(
  connect: ConnectClient,
  print: (line: string) => void,
): () => void {
  const printed = new Set<string>()
  let waiting = false
  return connect.onChange((state) => {
    for (const step of state.steps) {
      if (step.warning && !printed.has(`${step.id}:warning`)) {
        printed.add(`${step.id}:warning`)
        print(`[connect] ! ${step.title}: ${step.warning}`)
      }
      if (step.status !== 'ok' && step.status !== 'failed' && step.status !== 'skipped') continue
      const key = `${step.id}:${step.status}`
      if (printed.has(key)) continue
      printed.add(key)
      const detail =
        step.error ??
        (step.status === 'skipped' ? String((step.data as { reason?: string }).reason ?? '') : '')
      print(`[connect] ${MARK[step.status]} ${step.title}${detail ? `: ${detail}` : ''}`)
    }
    if (state.state === 'waitingForBrowser' && !waiting)
      print('[connect] Waiting for you to sign in in the browser…')
    waiting = state.state === 'waitingForBrowser'
  })
}
