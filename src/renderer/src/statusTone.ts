import type { IssuerStatus, TunnelStatus } from '../../shared/events'

export type Tone = 'ok' | 'warn' | 'bad' | 'neutral'

export function tunnelTone(tunnel: TunnelStatus): Tone {
  if (tunnel.state === 'online') return 'ok'
  if (tunnel.state === 'failed') return 'bad'
  return tunnel.state === 'stopped' ? 'neutral' : 'warn'
}

export function issuerTone(issuer: IssuerStatus): Tone {
  if (issuer.state === 'ready') return 'ok'
  if (issuer.state === 'failed') return 'bad'
  return issuer.state === 'off' ? 'neutral' : 'warn'
}
