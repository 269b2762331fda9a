import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createUiServer, type UiServer } from '../../src/main/bridge'
import type { CommandHandlers } from '../../src/main/commands/types'
import { startWorkbench, type Fixture } from '../support/workbenchFixture'

/**
 * A real workbench and UI server. The handlers are a thin real slice over the core (widget list, log) so the
 * transport is tested on its own; the full command set is the lead's createCommandHandlers.
 */
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
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Workbench</title><script type="module" src="./app.js"></script>')
    await writeFile(join(staticDir, 'app.js'), 'document.title = "ready"')
    await writeFile(join(staticDir, 'widget-frame.html'), '<!doctype html><script src="./widget-frame.js"></script>')
  }
  const { workbench } = fx
  const handlers = {
    'widget:list': async () => ({ widgets: workbench.widgetSummaries(), errors: [] }),
    'log:snapshot': async () => workbench.log.snapshot(),
    'log:clear': async () => (workbench.log.clear(), null),
  } as Partial<CommandHandlers> as CommandHandlers
  const ui = await createUiServer({
    handlers,
    events: (emit) => workbench.log.subscribe((event) => emit('log:appended', [event])),
    staticDir,
  })
  return {
    fx,
    ui,
    staticDir,
    async close() {
      await ui.close()
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
export function rawRequest(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}
