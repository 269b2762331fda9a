import type { StateCreator } from 'zustand'
import type { TokensSlice, WorkbenchStore } from './types'

export const createTokensSlice: StateCreator<WorkbenchStore, [], [], TokensSlice> = (set) => ({
  tokenText: '',
  inspection: null,
  inspecting: false,
  forged: null,
  setTokenText: (tokenText) => set({ tokenText }),
})
