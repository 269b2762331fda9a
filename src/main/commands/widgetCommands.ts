import { WorkbenchError } from '../../shared/errors'
import { callWidgetAs, cancelPreviewCalls } from '../preview/callWidgetAs'
import { identityKey } from '../preview/previewSessions'
import { closePreviewSessions, previewSessionsOf } from '../preview/previewSessionsOf'
import { sendPreviewRequest } from '../preview/sendPreviewRequest'
import type { CommandDeps } from './commandDeps'
import type { CommandHandlers } from './types'

type WidgetCommands = Pick<
  CommandHandlers,
  | 'widget:list'
  | 'widget:setAuth'
  | 'widget:getTemplate'
  | 'widget:call'
  | 'preview:request'
  | 'preview:closeSessions'
  | 'preview:cancelCalls'
>

export function createWidgetCommands({ workbench, resolveIdentity }: CommandDeps): WidgetCommands {
  // Gateway mode: the widgets are the upstream's tools.
  const upstreamToolOrThrow = async (id: string) => {
    const gateway = workbench.gateway.current()
    if (!gateway) return null
    const { tool } = await gateway.toolAuth(id)
    if (!tool)
      throw new WorkbenchError(
        'ERR_WIDGET_NOT_FOUND',
        `The upstream ${gateway.label} lists no tool "${id}".`,
      )
    return gateway
  }
  const widgetOrThrow = (id: string) => {
    const widget = workbench.widgets.get(id)
    if (!widget)
      throw new WorkbenchError('ERR_WIDGET_NOT_FOUND', `No widget "${id}" is served now.`)
    return widget
  }
  return {
    'widget:list': async () => ({
      widgets: workbench.widgetSummaries(),
      errors: workbench.widgets.errors(),
    }),
    'widget:setAuth': async (id, auth) => {
      if (!(await upstreamToolOrThrow(id))) widgetOrThrow(id)
      await workbench.config.update((raw) => {
        const widgets = { ...(raw.widgets ?? {}) }
        if (auth === null) delete widgets[id]
        else
          widgets[id] = auth.scopes ? { auth: auth.auth, scopes: auth.scopes } : { auth: auth.auth }
        return { ...raw, widgets }
      })
      return workbench.widgetSummaries()
    },
    'widget:getTemplate': async (id) => {
      const gateway = await upstreamToolOrThrow(id)
      if (gateway) {
        const { html, csp } = await gateway.readTemplate(id)
        return { html, csp }
      }
      const { template, manifest } = widgetOrThrow(id)
      return { html: template, csp: manifest.csp }
    },
    'widget:call': async (id, args, identity) => {
      if (!(await upstreamToolOrThrow(id))) widgetOrThrow(id)
      return callWidgetAs(workbench, id, args, {
        ...(await resolveIdentity(identity)),
        key: identityKey(identity),
      })
    },
    'preview:request': async (method, params, identity) =>
      sendPreviewRequest(workbench, method, params, {
        ...(await resolveIdentity(identity)),
        key: identityKey(identity),
      }),
    'preview:cancelCalls': async () => ({ cancelled: cancelPreviewCalls(workbench) }),
    'preview:closeSessions': async () => {
      const closed = previewSessionsOf(workbench).openKeys().length
      await closePreviewSessions(workbench)
      return { closed }
    },
  }
}
