import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createChatGptClientDocument } from './chatgptClientDocument'
import type { ChatGptProfileOptions } from './chatgptProfile'

/** The CLI's ChatGPT profile: the stand-in client document on a loopback server of its own. */
export async function serveChatGptDocument(): Promise<{
  profile: ChatGptProfileOptions
  close(): Promise<void>
}> {
  const document = createChatGptClientDocument()
  const server = createServer((req, res) => document.handle(req, res))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  // An https base (a tunnel to this server) makes the CIMD path testable against real issuers.
  const base = process.env.CONNECT_CHATGPT_DOCUMENT_BASE ?? `http://127.0.0.1:${port}`
  return {
    profile: { document, documentBaseUrl: () => base },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
