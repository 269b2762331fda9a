import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react'
import type { ProtocolEra, Verdict } from '../../../shared/events'
import { VerdictBadge } from '../components/VerdictBadge'
import { clearLog, exportLog } from '../store/actions'
import {
  ERA_LABELS,
  neighbourRowId,
  selectToolOptions,
  selectVisibleRows,
  VERDICT_LABELS,
  VERDICTS,
} from '../store/logSelectors'
import { useWorkbench } from '../store/useWorkbench'
import { useShallow } from 'zustand/react/shallow'
import { RequestDetail } from './RequestDetail'
import { ScreenHeader } from './ScreenHeader'
import { formatClock } from '../format'

const ROW_HEIGHT = 30

function Toolbar() {
  const filter = useWorkbench((s) => s.filter)
  const setFilter = useWorkbench((s) => s.setFilter)
  const tools = useWorkbench(useShallow(selectToolOptions))
  const follow = useWorkbench((s) => s.follow)
  const setFollow = useWorkbench((s) => s.setFollow)
  const total = useWorkbench((s) => s.events.length)
  const shown = useWorkbench((s) => selectVisibleRows(s).length)
  return (
    <div className="toolbar">
      <input
        type="search"
        className="filter-text"
        aria-label="Filter requests"
        placeholder="Filter: method, tool, subject, reason…"
        value={filter.text}
        onChange={(e) => setFilter({ text: e.target.value })}
      />
      <select
        aria-label="Verdict"
        value={filter.verdict}
        onChange={(e) => setFilter({ verdict: e.target.value as Verdict | 'all' })}
      >
        <option value="all">All verdicts</option>
        {VERDICTS.map((v) => (
          <option key={v} value={v}>
            {VERDICT_LABELS[v]}
          </option>
        ))}
      </select>
      <select
        aria-label="Tool"
        value={filter.tool}
        onChange={(e) => setFilter({ tool: e.target.value })}
      >
        <option value="all">All tools</option>
        {tools.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <select
        aria-label="Protocol era"
        value={filter.era ?? 'all'}
        onChange={(e) => setFilter({ era: e.target.value as ProtocolEra | 'all' })}
      >
        <option value="all">All eras</option>
        <option value="legacy">2025 (sessions)</option>
        <option value="modern">2026 (stateless)</option>
      </select>
      <label className="toggle">
        <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
        Follow
      </label>
      <span className="muted small count">
        {shown === total ? `${total} requests` : `${shown} of ${total}`}
      </span>
      <button
        type="button"
        className="button button-small"
        onClick={() => void exportLog()}
        disabled={total === 0}
        title={total === 0 ? 'Nothing to export yet' : 'Download the log as JSON, tokens redacted'}
      >
        Export
      </button>
      <button
        type="button"
        className="button button-small button-danger"
        onClick={() => void clearLog()}
        disabled={total === 0}
        title={total === 0 ? 'The log is empty' : 'Clear the log'}
      >
        Clear
      </button>
    </div>
  )
}

function EmptyLog() {
  const hasEvents = useWorkbench((s) => s.events.length > 0)
  const setFilter = useWorkbench((s) => s.setFilter)
  if (!hasEvents)
    return (
      <div className="empty-state">
        No requests yet. Call a widget from Preview, or point a client at the MCP URL.
      </div>
    )
  return (
    <div className="empty-state">
      <p>No requests match the filter.</p>
      <button
        type="button"
        className="button button-small"
        onClick={() => setFilter({ text: '', verdict: 'all', tool: 'all' })}
      >
        Clear the filter
      </button>
    </div>
  )
}

function LogTable() {
  const rows = useWorkbench(selectVisibleRows)
  const selectedId = useWorkbench((s) => s.selectedEventId)
  const selectEvent = useWorkbench((s) => s.selectEvent)
  const follow = useWorkbench((s) => s.follow)
  const parentRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  useEffect(() => {
    if (follow && rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' })
  }, [follow, rows.length, virtualizer])
  const indexById = useMemo(() => {
    const map = new Map<number, number>()
    if (selectedId !== null) rows.forEach((r, i) => r.id === selectedId && map.set(r.id, i))
    return map
  }, [rows, selectedId])
  const onKeyDown = (e: KeyboardEvent): void => {
    const step =
      e.key === 'ArrowDown' || e.key === 'j' ? 1 : e.key === 'ArrowUp' || e.key === 'k' ? -1 : 0
    if (e.key === 'Escape') return selectEvent(null)
    if (!step) return
    e.preventDefault()
    const next = neighbourRowId(rows, selectedId, step)
    if (next === null) return
    selectEvent(next)
    const index = rows.findIndex((r) => r.id === next)
    if (index >= 0) virtualizer.scrollToIndex(index)
  }
  const selectedIndex = selectedId !== null ? indexById.get(selectedId) : undefined
  return (
    <div
      className="log-table"
      role="grid"
      aria-label="Requests"
      aria-rowcount={rows.length}
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-activedescendant={selectedIndex !== undefined ? `row-${selectedId}` : undefined}
    >
      <div className="log-row log-header" role="row">
        <span role="columnheader" className="col-time">
          Time
        </span>
        <span role="columnheader">Method</span>
        <span role="columnheader">Tool</span>
        <span role="columnheader" className="col-identity">
          Identity
        </span>
        <span role="columnheader">Verdict</span>
        <span role="columnheader" className="num">
          Status
        </span>
        <span role="columnheader" className="num">
          Latency
        </span>
      </div>
      <div
        ref={parentRef}
        className="log-scroll"
        onWheel={() => follow && useWorkbench.getState().setFollow(false)}
      >
        {rows.length === 0 && <EmptyLog />}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const e = rows[item.index]
            return (
              <div
                key={e.id}
                id={`row-${e.id}`}
                role="row"
                aria-selected={e.id === selectedId}
                className={`log-row ${e.id === selectedId ? 'selected' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => selectEvent(e.id === selectedId ? null : e.id)}
              >
                <span className="mono muted col-time">{formatClock(e.time)}</span>
                <span className="mono ellipsis" title={e.rpcMethod ?? `${e.method} ${e.path}`}>
                  {e.protocol && (
                    <span
                      className={`era-tag era-${e.protocol.era}`}
                      title={`MCP ${e.protocol.version ?? e.protocol.era}`}
                    >
                      {ERA_LABELS[e.protocol.era]}
                    </span>
                  )}
                  {e.rpcMethod ?? `${e.method} ${e.path}`}
                </span>
                <span className="mono ellipsis" title={e.tool ?? undefined}>
                  {e.tool ?? ''}
                </span>
                <span className="ellipsis col-identity">
                  {e.identity ? (
                    (e.identity.name ?? e.identity.subject)
                  ) : (
                    <span className="muted">anonymous</span>
                  )}
                </span>
                <span>
                  <VerdictBadge verdict={e.verdict} />
                </span>
                <span
                  className={`num mono ${e.status >= 400 || e.upstream?.error ? 'text-bad' : ''}`}
                  title={
                    e.upstream
                      ? `upstream ${e.upstream.status ?? 'stdio'} in ${e.upstream.latencyMs.toFixed(1)} ms${e.upstream.error ? `: ${e.upstream.error}` : ''}`
                      : undefined
                  }
                >
                  {e.status}
                  {e.upstream && (e.upstream.error ? ' ↯' : ' ↗')}
                </span>
                <span className="num mono muted">
                  {e.latencyMs < 10 ? e.latencyMs.toFixed(1) : Math.round(e.latencyMs)} ms
                </span>
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}

export function RequestsScreen() {
  const hasSelection = useWorkbench((s) => s.selectedEventId !== null)
  return (
    <div className="screen screen-fill">
      <ScreenHeader
        title="Requests"
        subtitle="Every request the MCP server received, with its auth decision. ↑/↓ move, Esc closes the detail."
      />
      <Toolbar />
      <div className={`requests-body ${hasSelection ? 'with-detail' : ''}`}>
        <LogTable />
        {hasSelection && <RequestDetail />}
      </div>
    </div>
  )
}
