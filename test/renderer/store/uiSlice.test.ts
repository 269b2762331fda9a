import { describe, expect, it } from 'vitest'
import { screenForShortcut, SCREENS } from '../../../src/renderer/src/screens'
import { useWorkbench } from '../../../src/renderer/src/store/useWorkbench'

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {},
) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods })

describe('ui slice', () => {
  it('maps Ctrl/Cmd+1..7 to the seven screens and nothing else', () => {
    expect(SCREENS.map((s) => screenForShortcut(key(s.key, { ctrlKey: true })))).toEqual([
      'overview',
      'auth',
      'widgets',
      'requests',
      'tokens',
      'preview',
      'tunnel',
      'audit',
    ])
    expect(screenForShortcut(key('4', { metaKey: true }))).toBe('requests')
    expect(screenForShortcut(key('4'))).toBeNull()
    expect(screenForShortcut(key('4', { ctrlKey: true, shiftKey: true }))).toBeNull()
    expect(screenForShortcut(key('9', { ctrlKey: true }))).toBeNull()
  })

  it('keeps at most four toasts, newest last, and dismisses by id', () => {
    const { pushToast } = useWorkbench.getState()
    for (let i = 0; i < 6; i++) pushToast({ kind: 'error', title: `t${i}`, detail: null })
    const toasts = useWorkbench.getState().toasts
    expect(toasts.map((t) => t.title)).toEqual(['t2', 't3', 't4', 't5'])
    useWorkbench.getState().dismissToast(toasts[0].id)
    expect(useWorkbench.getState().toasts.map((t) => t.title)).toEqual(['t3', 't4', 't5'])
  })
})
