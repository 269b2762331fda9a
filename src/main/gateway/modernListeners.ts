import type { ServerResponse } from 'node:http'
import { isJsonObject } from '../../shared/jsonObject'
import { openEventStream, type ClientSink } from './clientSink'
import { isRequest, paramsOf, type JsonRpcId, type JsonRpcMessage } from './jsonRpcShapes'
import { formatEvent } from './upstreamHttp'

type ListenRequest = JsonRpcMessage & { id: JsonRpcId; method: string }

const SUBSCRIPTION_ID_META_KEY = 'io.modelcontextprotocol/subscriptionId'

/** Which list changes a `subscriptions/listen` stream asked for, by notification method. */
const FILTER_OF: Record<string, string> = {
  'notifications/tools/list_changed': 'toolsListChanged',
  'notifications/prompts/list_changed': 'promptsListChanged',
  'notifications/resources/list_changed': 'resourcesListChanged',
}

interface Listener {
  id: JsonRpcId
  /** The filter honored (as acknowledged). */
  honored: Record<string, boolean>
  send(message: JsonRpcMessage): void
  /** Ends a stream the gateway answers itself. */
  end?(): void
}

/** A list-change notification as a listen stream carries it: stamped with its subscription id. */
export function forSubscription(method: string, id: JsonRpcId): JsonRpcMessage {
  return { jsonrpc: '2.0', method, params: { _meta: { [SUBSCRIPTION_ID_META_KEY]: id } } }
}

/** The filter a `subscriptions/listen` request asks for. */
export function requestedFilter(request: JsonRpcMessage): Record<string, unknown> {
  const filter = paramsOf(request).notifications
  return isJsonObject(filter) ? filter : {}
}

/**
 * The 2026-07-28 `subscriptions/listen` streams the gateway feeds itself: all of them for a stdio upstream
 * (its child speaks 2025), and, for an HTTP upstream, the Workbench's own tools/list changes (modes changed
 * here) added to the upstream's stream.
 */
export function createModernListeners() {
  const listeners = new Set<Listener>()

  function add(res: ServerResponse, listener: Listener): void {
    listeners.add(listener)
    res.on('close', () => listeners.delete(listener))
  }

  return {
    /**
     * Answers a listen request here (stdio): acknowledges the filter the upstream can honor (`canHonor`), then
     * keeps the stream open for {@link publish}.
     */
    open(
      res: ServerResponse,
      request: JsonRpcMessage & { id: JsonRpcId },
      canHonor: (filterKey: string) => boolean,
    ): void {
      const honored: Record<string, boolean> = {}
      for (const [key, wanted] of Object.entries(requestedFilter(request)))
        if (wanted === true && canHonor(key)) honored[key] = true
      const sink: ClientSink = openEventStream(res, {})
      sink.send({
        jsonrpc: '2.0',
        method: 'notifications/subscriptions/acknowledged',
        params: { notifications: honored, _meta: { [SUBSCRIPTION_ID_META_KEY]: request.id } },
      })
      add(res, { id: request.id, honored, send: (m) => sink.send(m), end: () => sink.end() })
    },

    /**
     * For a relayed 2026-07-28 listen stream (HTTP) that asked for tools/list changes: adds the Workbench's own
     * to it. True for any listen request: its stream lasts as long as its client keeps it (no timeout).
     */
    followListen(res: ServerResponse, request: JsonRpcMessage | null): request is ListenRequest {
      if (request?.method !== 'subscriptions/listen' || !isRequest(request)) return false
      if (requestedFilter(request).toolsListChanged === true) {
        const send = (m: JsonRpcMessage) => void res.write(formatEvent(JSON.stringify(m)))
        add(res, { id: request.id, honored: { toolsListChanged: true }, send })
      }
      return true
    },

    /** Sends a list-change notification to every stream that asked for it. */
    publish(method: string): void {
      const key = FILTER_OF[method]
      if (!key) return
      for (const l of listeners) if (l.honored[key]) l.send(forSubscription(method, l.id))
    },

    /** Ends the streams answered here (the upstream stops). */
    close(): void {
      for (const l of listeners) l.end?.()
      listeners.clear()
    },
  }
}

export type ModernListeners = ReturnType<typeof createModernListeners>
