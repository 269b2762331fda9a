import { NO_MILESTONES } from '../../../shared/milestones'
import type { StateCreator } from 'zustand'
import type { LogSlice, WorkbenchStore } from './types'

/** Rows the Requests screen keeps; the main-process log holds the same number. */
export const MAX_LOG_ROWS = 10_000

export const createLogSlice: StateCreator<WorkbenchStore, [], [], LogSlice> = (set) => ({
  events: [],
  selectedEventId: null,
  filter: { text: '', verdict: 'all', tool: 'all', era: 'all' },
  follow: true,
  milestones: NO_MILESTONES,
  setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
  selectEvent: (id) => set({ selectedEventId: id, follow: id === null ? true : false }),
  setFollow: (follow) => set({ follow }),
})
