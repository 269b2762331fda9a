export type WorkbenchErrorCode =
  | 'ERR_CONFIG_INVALID'
  | 'ERR_WIDGET_NOT_FOUND'
  | 'ERR_ISSUER_DISCOVERY'
  | 'ERR_FORGE_UNSUPPORTED'
  | 'ERR_CONNECT_FAILED'
  | 'ERR_TUNNEL_AUTHTOKEN'
  | 'ERR_TUNNEL_TIMEOUT'
  | 'ERR_TUNNEL_FAILED'
  | 'ERR_IPC_INVALID'
  | 'ERR_IPC_FORBIDDEN'
  | 'ERR_IPC_UNAUTHORIZED'
  | 'ERR_BRIDGE_DISCONNECTED'
  | 'ERR_TUNNEL_PLAINTEXT'
  | 'ERR_INTERNAL'

/** The one error class of the Workbench; `code` is stable, `message` is for people. */
export class WorkbenchError extends Error {
  readonly code: WorkbenchErrorCode
  constructor(code: WorkbenchErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'WorkbenchError'
    this.code = code
  }
}

/** An error as it crosses IPC or the bridge: data, not a prototype. */
export interface SerializedError {
  code: string
  message: string
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof WorkbenchError) return { code: err.code, message: err.message }
  if (
    err &&
    typeof err === 'object' &&
    'issues' in err &&
    Array.isArray((err as { issues: unknown }).issues)
  ) {
    const issues = (err as { issues: { path: PropertyKey[]; message: string }[] }).issues
    return {
      code: 'ERR_IPC_INVALID',
      message: issues
        .map((i) => `${i.path.map(String).join('.') || '(args)'}: ${i.message}`)
        .join('; '),
    }
  }
  if (err instanceof Error)
    return { code: (err as { code?: string }).code ?? 'ERR_INTERNAL', message: err.message }
  return { code: 'ERR_INTERNAL', message: String(err) }
}
