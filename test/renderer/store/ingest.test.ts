import { beforeEach, describe, expect, it } from 'vitest'
import {
  createEventBatcher,
  ingestLogCleared,
  ingestRequestEvents,
  ingestAppState,
  ingestStatus,
} from '../../../src/renderer/src/store/ingest'
import { MAX_LOG_ROWS } from '../../../src/renderer/src/store/logSlice'
import { useWorkbench } from '../../../src/renderer/src/store/useWorkbench'
import { appState, requestEvent } from '../fixtures'

const initial = useWorkbench.getState()
beforeEach(() => useWorkbench.setState(initial, true))

describe('log ingestion', () => {
  it('keeps only the newest 10,000 events however many arrive', () => {
    for (let i = 0; i < 21; i++)
      ingestRequestEvents(Array.from({ length: 500 }, () => requestEvent()))
    const { events } = useWorkbench.getState()
    expect(events).toHaveLength(MAX_LOG_ROWS)
    expect(events[events.length - 1].id - events[0].id).toBe(MAX_LOG_ROWS - 1)
  })

  it('drops the selection when the selected event is evicted', () => {
    const first = requestEvent()
    ingestRequestEvents([first])
    useWorkbench.getState().selectEvent(first.id)
    ingestRequestEvents(Array.from({ length: MAX_LOG_ROWS }, () => requestEvent()))
    expect(useWorkbench.getState().selectedEventId).toBeNull()
  })

  it('keeps checklist milestones after the log is cleared', () => {
    ingestRequestEvents([
      requestEvent({ verdict: 'challenged', tool: 'protected-widget', widgetMode: 'required' }),
      requestEvent({
        verdict: 'allowed',
        tool: 'protected-widget',
        widgetMode: 'required',
        identity: { subject: 'dev|alice', clientId: null, scopes: ['user'], name: 'Alice' },
      }),
    ])
    ingestLogCleared()
    const s = useWorkbench.getState()
    expect(s.events).toHaveLength(0)
    expect(s.milestones).toMatchObject({
      challengeSeen: true,
      signedInCallSeen: true,
      protectedCallAllowed: true,
      publicRequestSeen: false,
    })
  })

  it('does not count an allowed call to an optional widget as a protected call', () => {
    ingestRequestEvents([
      requestEvent({
        verdict: 'allowed',
        tool: 'flexible-widget',
        widgetMode: 'optional',
        identity: { subject: 'dev|bob', clientId: null, scopes: [], name: null },
      }),
    ])
    expect(useWorkbench.getState().milestones.protectedCallAllowed).toBe(false)
  })

  it('coalesces bursts into one flush per scheduled frame', () => {
    const flushed: number[][] = []
    const frames: (() => void)[] = []
    const push = createEventBatcher<number>(
      (items) => flushed.push(items),
      (run) => frames.push(run),
    )
    push([1, 2])
    push([3])
    push([])
    expect(frames).toHaveLength(1)
    frames.shift()!()
    push([4])
    frames.shift()!()
    expect(flushed).toEqual([[1, 2, 3], [4]])
  })
})

describe('state ingestion', () => {
  it('patches the app state from events and ignores them before the first load', () => {
    ingestStatus(appState().status)
    expect(useWorkbench.getState().app).toBeNull()
    ingestAppState(appState())
    ingestStatus({
      ...appState().status,
      publicUrl: 'https://demo.ngrok.app',
      connectorUrl: 'https://demo.ngrok.app/mcp',
    })
    expect(useWorkbench.getState().app?.status.connectorUrl).toBe('https://demo.ngrok.app/mcp')
    expect(useWorkbench.getState().previewWidgetId).toBe('protected-widget')
  })
})
