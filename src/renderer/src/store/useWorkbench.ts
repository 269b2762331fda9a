import { create } from 'zustand'
import { createAuditSlice } from './auditSlice'
import { createConnectionSlice } from './connectionSlice'
import { createLogSlice } from './logSlice'
import { createPreviewSlice } from './previewSlice'
import { createTokensSlice } from './tokensSlice'
import { createUiSlice } from './uiSlice'
import type { WorkbenchStore } from './types'

/** The one renderer store, bound from typed slices. */
export const useWorkbench = create<WorkbenchStore>()((...a) => ({
  ...createConnectionSlice(...a),
  ...createLogSlice(...a),
  ...createUiSlice(...a),
  ...createPreviewSlice(...a),
  ...createTokensSlice(...a),
  ...createAuditSlice(...a),
}))
