/** The `window.openai` globals the preview host provides. */
export interface OpenAiGlobals {
  toolInput: Record<string, unknown>
  toolOutput: unknown
  toolResponseMetadata: Record<string, unknown> | null
  widgetState: unknown
  theme: 'light' | 'dark'
  displayMode: 'inline' | 'pip' | 'fullscreen'
  locale: string
  maxHeight: number
  safeArea: { insets: { top: number; bottom: number; left: number; right: number } }
  userAgent: { device: { type: 'desktop' }; capabilities: { hover: boolean; touch: boolean } }
  view: { mode: 'inline' | 'pip' | 'fullscreen' | 'modal'; params?: unknown }
}

/** JSON safe to embed in a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/** The global the frame page hands the private `window.openai` port through; the bridge removes it at once. */
export const OPENAI_PORT_GLOBAL = '__workbenchOpenAiPort'

/**
 * `window.openai` inside the widget frame. It talks to the host over its own MessagePort (handed over by the
 * frame page), so the window's postMessage channel carries only the MCP Apps JSON-RPC: the two bridges never
 * mix. It also reports the frame's uncaught errors and CSP violations to the widget log.
 */
export function hostBridgeScript(globals: OpenAiGlobals): string {
  return `(function () {
  var globals = ${scriptJson(globals)};
  var port = window.${OPENAI_PORT_GLOBAL};
  try { delete window.${OPENAI_PORT_GLOBAL}; } catch (e) {}
  if (!port) return;
  var pending = {};
  var seq = 0;
  function post(type, payload, callId) { port.postMessage({ type: type, payload: payload, callId: callId }); }
  function request(type, payload) {
    return new Promise(function (resolve, reject) {
      var id = ++seq; pending[id] = { resolve: resolve, reject: reject }; post(type, payload, id);
    });
  }
  var openai = {
    callTool: function (name, args) { return request('callTool', { name: String(name), args: args || {} }); },
    sendFollowUpMessage: function (opts) { return request('sendFollowUpMessage', { prompt: opts && opts.prompt, scrollToBottom: opts && opts.scrollToBottom }); },
    requestDisplayMode: function (opts) { return request('requestDisplayMode', { mode: opts && opts.mode }); },
    requestModal: function (opts) { return request('requestModal', { params: opts && opts.params, template: opts && opts.template }); },
    requestClose: function () { return request('requestClose', {}); },
    notifyIntrinsicHeight: function (height) { post('resize', { height: Number(height && height.height !== undefined ? height.height : height) }); },
    openExternal: function (opts) { return request('openExternal', { href: opts && opts.href, redirectUrl: opts && opts.redirectUrl }); },
    setOpenInAppUrl: function (opts) { return request('setOpenInAppUrl', { href: opts && opts.href }); },
    uploadFile: function (file, opts) { return request('uploadFile', { file: file, library: opts && opts.library }); },
    selectFiles: function () { return request('selectFiles', {}); },
    getFileDownloadUrl: function (opts) { return request('getFileDownloadUrl', { fileId: opts && opts.fileId }); },
    setWidgetState: function (state) { globals.widgetState = state; return request('setWidgetState', state); }
  };
  Object.keys(globals).forEach(function (key) {
    Object.defineProperty(openai, key, { enumerable: true, get: function () { return globals[key]; } });
  });
  Object.defineProperty(window, 'openai', { value: openai, writable: false, configurable: false });
  // The frame's canvas follows its color-scheme; matching the host theme avoids a white box behind dark widgets.
  function applyScheme() { document.documentElement.style.colorScheme = globals.theme === 'dark' ? 'dark' : 'light'; }
  applyScheme();
  port.onmessage = function (event) {
    var m = event.data;
    if (!m) return;
    if (m.type === 'set_globals') {
      for (var k in m.globals) globals[k] = m.globals[k];
      applyScheme();
      window.dispatchEvent(new CustomEvent('openai:set_globals', { detail: { globals: m.globals } }));
    } else if (m.type === 'response') {
      var p = pending[m.callId];
      if (!p) return;
      delete pending[m.callId];
      if (m.error) p.reject(new Error(m.error)); else p.resolve(m.result);
    }
  };
  var seen = {};
  document.addEventListener('securitypolicyviolation', function (e) {
    var key = e.effectiveDirective + ' ' + e.blockedURI;
    if (seen[key]) return;
    seen[key] = true;
    post('cspViolation', { blockedURI: e.blockedURI, directive: e.effectiveDirective, sourceFile: e.sourceFile });
  });
  window.addEventListener('error', function (e) {
    post('frameError', { message: String(e.message || (e.error && e.error.message) || 'error'), source: e.filename, line: e.lineno });
  });
  window.addEventListener('unhandledrejection', function (e) {
    var r = e.reason;
    post('frameError', { message: 'Unhandled rejection: ' + String(r && r.message ? r.message : r) });
  });
  // Escape inside the frame never reaches the host page: forwarded, so a modal closes on it as ChatGPT's does.
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') post('escape', {}); });
  function reportSize() { post('resize', { height: Math.ceil(document.documentElement.scrollHeight) }); }
  window.addEventListener('DOMContentLoaded', function () {
    window.dispatchEvent(new CustomEvent('openai:set_globals', { detail: { globals: globals } }));
    reportSize();
    if (typeof ResizeObserver === 'function') new ResizeObserver(reportSize).observe(document.documentElement);
  });
  post('ready', {});
})();`
}
