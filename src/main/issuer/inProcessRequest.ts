import { IncomingMessage, ServerResponse, type IncomingHttpHeaders } from 'node:http'
import { Socket } from 'node:net'

export interface InProcessResponse {
  status: number
  body: string
}

/** Runs one GET through a node:http handler without a socket: how the issuer reads its own metadata with no HTTP. */
export function inProcessRequest(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  path: string,
  headers: IncomingHttpHeaders,
): Promise<InProcessResponse> {
  const req = new IncomingMessage(new Socket())
  req.method = 'GET'
  req.url = path
  req.headers = headers
  req.push(null)
  const res = new ServerResponse(req)
  const chunks: Buffer[] = []
  const collect = (chunk: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function')
      chunks.push(Buffer.from(chunk as string | Uint8Array))
  }
  return new Promise((resolve, reject) => {
    res.write = ((chunk: unknown) => {
      collect(chunk)
      return true
    }) as ServerResponse['write']
    res.end = ((chunk?: unknown) => {
      collect(chunk)
      resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') })
      return res
    }) as ServerResponse['end']
    Promise.resolve(handler(req, res)).catch(reject)
  })
}
