import type { StateCreator } from 'zustand'
import type { ConnectionSlice, WorkbenchStore } from './types'

export const createConnectionSlice: StateCreator<WorkbenchStore, [], [], ConnectionSlice> = () => ({
  connection: 'connecting',
  connectionDetail: null,
  app: null,
})
