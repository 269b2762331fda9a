/**
 * Wire constants of the browser-mode bridge (the contract itself is in contract.ts). The secret travels as a
 * WebSocket subprotocol, never in the URL, so it stays out of request lines; HTTP scripts send it as a bearer.
 */

/** Path of the WebSocket endpoint on the UI server. */
export const BRIDGE_PATH = '/bridge'
/** The subprotocol the server selects. */
export const BRIDGE_PROTOCOL = 'workbench-bridge.v1'
/** Prefix of the second subprotocol, which carries the secret (base64url is a valid token). */
export const BRIDGE_SECRET_PROTOCOL_PREFIX = 'secret.'

/** Reads the secret from a URL fragment like `#secret=…` (the printed UI URL). */
export function readBridgeSecret(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get('secret')
}
