/** What the tunnel controller asks of ngrok; the default runs `@ngrok/ngrok` in a worker, tests fake it. */
export interface ForwardRequest {
  /** Local address to forward to, e.g. `127.0.0.1:8001`. */
  addr: string
  authtoken: string
  /** Reserved domain, e.g. `my-app.ngrok.app`; absent for a random URL. */
  domain?: string
  /** ngrok's session status: `closed` when the connection is lost, `connected` when it is back. */
  onStatusChange(status: 'connected' | 'closed'): void
  /** The tunnel ended for good (the session died); the controller reports it as failed. */
  onEnded(error: ForwardFailure): void
  /** Diagnostic lines from the library (already stripped of the authtoken). */
  onLog?(line: string): void
}

/** A forward() failure as data: ngrok's message and `errorCode`, plus what our wrapper observed. */
export interface ForwardFailure {
  message: string
  /** ngrok's `err.errorCode`, e.g. ERR_NGROK_105. */
  errorCode: string | null
  /** A TLS server answered but its certificate was refused (seen in the library's debug log). */
  tlsPeerAnswered?: boolean
  /** Our own connect timeout fired before ngrok answered. */
  timedOut?: boolean
}

export interface ForwardedTunnel {
  /** Public base URL, e.g. `https://abc.ngrok-free.app`. */
  url: string
  close(): Promise<void>
}

export interface Forwarder {
  /** Starts a tunnel; rejects with a `ForwardFailure`-shaped error. Aborting the signal must release everything. */
  forward(request: ForwardRequest, signal: AbortSignal): Promise<ForwardedTunnel>
}

export function toForwardFailure(err: unknown): ForwardFailure {
  if (err && typeof err === 'object') {
    const e = err as { message?: unknown; errorCode?: unknown; tlsPeerAnswered?: unknown }
    return {
      message: typeof e.message === 'string' ? e.message : String(err),
      errorCode: typeof e.errorCode === 'string' ? e.errorCode : null,
      tlsPeerAnswered: e.tlsPeerAnswered === true,
    }
  }
  return { message: String(err), errorCode: null }
}
