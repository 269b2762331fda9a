import type { Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createMcpHttpServer, type McpHttpServerDeps } from '../server/createMcpHttpServer'
import { createWidgetServer, type WidgetServerDeps } from '../server/createWidgetServer'
import { createLegacySessions, type LegacySessionsOptions } from '../server/legacySessions'
import { createModernEndpoint } from '../server/modernEndpoint'

export type McpServerDeps = Omit<McpHttpServerDeps, 'legacy' | 'modern'> &
  WidgetServerDeps & { sessionLimits?: Pick<LegacySessionsOptions, 'maxSessions' | 'maxPerSource'> }

/** The MCP port: both protocol legs behind one HTTP server, started and stopped together. */
export interface McpServerLifecycle {
  /** Listens (port 0 = any free port) and resolves with the bound port. */
  listen(host: string, port: number): Promise<number>
  /** Tells every connected client the tool and resource lists changed (each era its own way). */
  notifyListChanged(): void
  sessionCount(): number
  close(): Promise<void>
}

export function createMcpServerLifecycle(deps: McpServerDeps): McpServerLifecycle {
  const widgetServer = () => createWidgetServer(deps)
  const legacy = createLegacySessions({ createServer: widgetServer, ...deps.sessionLimits })
  const modern = createModernEndpoint({ createServer: widgetServer })
  const http: HttpServer = createMcpHttpServer({ ...deps, legacy, modern })

  return {
    async listen(host, port) {
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject)
        http.listen(port, host, () => {
          http.off('error', reject)
          resolve()
        })
      })
      return (http.address() as AddressInfo).port
    },
    notifyListChanged() {
      legacy.notifyListChanged()
      modern.notifyListChanged()
    },
    sessionCount: () => legacy.count(),
    async close() {
      await legacy.closeAll()
      await modern.close()
      await new Promise<void>((resolve) => {
        http.close(() => resolve())
        http.closeAllConnections()
      })
    },
  }
}
