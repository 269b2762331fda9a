import { readFile, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'

/** A file of the built renderer, or the page that says it is not built. */
export interface UiAsset {
  status: 200 | 204 | 404 | 503
  contentType: string
  body: Buffer
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

const NOT_BUILT_PAGE =
  Buffer.from(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MCP Auth Workbench</title></head>
<body><h1>The UI is not built yet</h1><p>Run <code>npm run build</code>, then reload this page.</p></body></html>`)

const NOT_FOUND = (): UiAsset => ({
  status: 404,
  contentType: 'text/plain; charset=utf-8',
  body: Buffer.from('Not found'),
})

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  )
}

/**
 * Maps a URL path to a file under `staticDir` (the built renderer). `/` is `index.html`; paths that escape
 * the folder, hidden files and unknown types are 404. When `index.html` is missing the answer is a page
 * telling the user to run `npm run build`.
 */
export async function resolveUiAsset(staticDir: string, pathname: string): Promise<UiAsset> {
  const root = resolve(staticDir)
  if (!(await isFile(join(root, 'index.html')))) {
    return { status: 503, contentType: 'text/html; charset=utf-8', body: NOT_BUILT_PAGE }
  }
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return NOT_FOUND()
  }
  if (
    decoded.includes('\0') ||
    decoded.split('/').some((part) => part.startsWith('.') && part !== '')
  )
    return NOT_FOUND()
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const file = resolve(root, relative)
  if (!file.startsWith(root + sep)) return NOT_FOUND()
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()]
  if (!contentType || !(await isFile(file))) {
    // Browsers ask for /favicon.ico on their own; "no icon" is not an error worth a console line.
    return relative === 'favicon.ico'
      ? { status: 204, contentType: 'image/x-icon', body: Buffer.alloc(0) }
      : NOT_FOUND()
  }
  return { status: 200, contentType, body: await readFile(file) }
}
