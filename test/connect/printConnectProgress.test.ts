import { describe, expect, it } from 'vitest'
import type { ConnectClient } from '../../src/main/connect'
import { createConnectRecorder } from '../../src/main/connect/connectRecorder'
import { printConnectProgress } from '../../src/main/connect/printConnectProgress'

describe("the CLI's Connect progress (issue 9 item 16)", () => {
  it('prints each step once when it settles, and says once that it waits for the browser', () => {
    const recorder = createConnectRecorder()
    const lines: string[] = []
    printConnectProgress({ onChange: recorder.onChange } as ConnectClient, (line) =>
      lines.push(line),
    )
    recorder.begin('resourceMetadata')
    recorder.record('resourceMetadata', { attempts: [] })
    recorder.succeed('resourceMetadata')
    recorder.succeed('authServerMetadata')
    recorder.succeed('authServerMetadata', { more: true })
    recorder.set({ state: 'waitingForBrowser', authorizationUrl: 'https://as.example/auth' })
    recorder.begin('authorization')
    recorder.set({ state: 'waitingForBrowser' })
    recorder.succeed('authorization')
    recorder.set({ state: 'running' })
    expect(lines).toEqual([
      '[connect] ✓ Protected resource metadata (RFC 9728)',
      '[connect] ✓ Authorization server metadata',
      '[connect] Waiting for you to sign in in the browser…',
      '[connect] ✓ Sign in and consent (PKCE, resource)',
    ])
  })
})
