import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createUiServer, type UiServer } from '../../src/main/bridge'
import { createAppServices } from '../../src/main/appServices'
import { createCommandHandlers, subscribeWorkbenchEvents } from '../../src/main/commands'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

/** A real workbench and UI server with the real command set and event source, as `serve` wires them. */
export interface BridgeFixture {
  fx: Fixture
  ui: UiServer
  staticDir: string
  close(): Promise<void>
}

export async function startBridge(options: { built?: boolean } = {}): Promise<BridgeFixture> {
  const fx = await startWorkbench({})
  const staticDir = await mkdtemp(join(tmpdir(), 'workbench-ui-'))
  if (options.built !== false) {
    await writeFile(
      join(staticDir, 'index.html'),
      '<!doctype html><title>Workbench</title><script type="module" src="./app.js"></script>',
    )
    await writeFile(join(staticDir, 'app.js'), 'document.title = "ready"')
    await writeFile(
      join(staticDir, 'widget-frame.html'),
      '<!doctype html><script src="./widget-frame.js"></script>',
    )
  }
  const app = createAppServices({
    workbench: fx.workbench,
    dataDir: fx.dir,
    mode: 'browser',
    openUrl: () => {},
  })
  const { services } = app
  const ui = await createUiServer({
    handlers: createCommandHandlers(services),
    events: (emit) => subscribeWorkbenchEvents(services, emit),
    staticDir,
  })
  return {
    fx,
    ui,
    staticDir,
    async close() {
      await ui.close()
      await app.close()
      await fx.close()
      await rm(staticDir, { recursive: true, force: true })
    },
  }
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request with chosen headers, Host included (fetch will not send a custom Host). */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}
