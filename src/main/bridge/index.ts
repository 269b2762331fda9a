export { createUiServer, type UiServer, type UiServerOptions } from './createUiServer'
export { dispatchCommand, isCommand } from './dispatchCommand'
export type { EmitWorkbenchEvent, WorkbenchEventSource } from './eventSource'
export {
  uiContentSecurityPolicy,
  uiSecurityHeaders,
  widgetFrameContentSecurityPolicy,
  WIDGET_FRAME_PATH,
} from './contentSecurityPolicy'
export { resolveUiAsset, type UiAsset } from './resolveUiAsset'
