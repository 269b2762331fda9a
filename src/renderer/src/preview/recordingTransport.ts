import type {
  JSONRPCMessage,
  MessageExtraInfo,
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/client'

export type Direction = 'host→view' | 'view→host'

/** A transport that shows every message each way to `record` before passing it on unchanged. */
export class RecordingTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void

  constructor(
    private readonly inner: Transport,
    private readonly record: (direction: Direction, message: JSONRPCMessage) => void,
    /** Adjusts an incoming message after it is recorded (recorded as the view sent it). */
    private readonly adjust: (message: JSONRPCMessage) => JSONRPCMessage = (m) => m,
  ) {}

  async start(): Promise<void> {
    this.inner.onmessage = (message, extra) => {
      this.record('view→host', message)
      this.onmessage?.(this.adjust(message), extra)
    }
    this.inner.onerror = (error) => this.onerror?.(error)
    this.inner.onclose = () => this.onclose?.()
    await this.inner.start()
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    this.record('host→view', message)
    await this.inner.send(message, options)
  }

  async close(): Promise<void> {
    await this.inner.close()
  }
}
