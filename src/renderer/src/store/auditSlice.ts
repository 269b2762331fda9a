import type { StateCreator } from 'zustand'
import type { AuditCheck, AuditReport } from '../../../shared/audit'
import type { WorkbenchStore } from './types'

export type AuditIdentityKind = 'anonymous' | 'token' | 'connect' | 'testUser' | 'signIn'

export interface AuditSlice {
  auditUrl: string
  auditIdentity: AuditIdentityKind
  /** A pasted token: kept in memory only, never saved. */
  auditToken: string
  auditRunId: number | null
  auditRunning: boolean
  auditAnnouncements: { message: string; url?: string }[]
  /** Checks as they finish, while a run is in progress. */
  auditChecks: AuditCheck[]
  auditReport: AuditReport | null
  auditError: string | null
  setAuditUrl(url: string): void
  setAuditIdentity(kind: AuditIdentityKind): void
  setAuditToken(token: string): void
}

export const createAuditSlice: StateCreator<WorkbenchStore, [], [], AuditSlice> = (set) => ({
  auditUrl: '',
  auditIdentity: 'anonymous',
  auditToken: '',
  auditRunId: null,
  auditRunning: false,
  auditAnnouncements: [],
  auditChecks: [],
  auditReport: null,
  auditError: null,
  setAuditUrl: (auditUrl) => set({ auditUrl }),
  setAuditIdentity: (auditIdentity) => set({ auditIdentity }),
  setAuditToken: (auditToken) => set({ auditToken }),
})
