import type { WorkbenchApi } from '../shared/contract'

declare global {
  interface Window {
    /** The contract, exposed by the preload in Electron; absent in browser mode (use the bridge client). */
    workbench?: WorkbenchApi
  }
}

export {}
