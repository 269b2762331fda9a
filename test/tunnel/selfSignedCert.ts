import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** A throwaway self-signed certificate (100 years, 127.0.0.1), standing in for a TLS-intercepting proxy. */
export async function selfSignedCert(): Promise<{ key: string; cert: string }> {
  const dir = join(__dirname, 'fixtures')
  const [key, cert] = await Promise.all([
    readFile(join(dir, 'foreign-proxy.key.pem'), 'utf8'),
    readFile(join(dir, 'foreign-proxy.cert.pem'), 'utf8'),
  ])
  return { key, cert }
}
