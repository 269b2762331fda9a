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
  view: { mode: 'inline' | 'pip' | 'fullscreen' }
}

/** JSON safe to embed in a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

/**
 * The host side of `window.openai` inside the widget frame. Messages go to the parent with postMessage('*')
 * because the frame's origin is opaque; the parent checks `event.source`, and this script only accepts
 * messages whose source is its parent.
 */
export function hostBridgeScript(globals: OpenAiGlobals): string {
  return `(function () {
  var globals = ${scriptJson(globals)};
  var pending = {};
  var seq = 0;
  function post(type, payload, callId) { parent.postMessage({ source: 'workbench-widget', type: type, payload: payload, callId: callId }, '*'); }
  function request(type, payload) {
    return new Promise(function (resolve, reject) { var id = ++seq; pending[id] = { resolve: resolve, reject: reject }; post(type, payload, id); });
  }
  var openai = {
    callTool: function (name, args) { return request('callTool', { name: String(name), args: args || {} }); },
    sendFollowUpMessage: function (opts) { post('sendFollowUpMessage', { prompt: opts && opts.prompt }); return Promise.resolve(); },
    requestDisplayMode: function (opts) { return request('requestDisplayMode', { mode: opts && opts.mode }); },
    openExternal: function (opts) { post('openExternal', { href: opts && opts.href }); },
    setWidgetState: function (state) { globals.widgetState = state; post('setWidgetState', state); return Promise.resolve(); }
  };
  ['toolInput', 'toolOutput', 'toolResponseMetadata', 'widgetState', 'theme', 'displayMode', 'locale', 'maxHeight', 'safeArea', 'userAgent', 'view'].forEach(function (key) {
    Object.defineProperty(openai, key, { enumerable: true, get: function () { return globals[key]; } });
  });
  Object.defineProperty(window, 'openai', { value: openai, writable: false, configurable: false });
  // The frame's canvas follows its color-scheme; matching the host theme avoids a white box behind dark widgets.
  function applyScheme() { document.documentElement.style.colorScheme = globals.theme === 'dark' ? 'dark' : 'light'; }
  applyScheme();
  window.addEventListener('message', function (event) {
    if (event.source !== parent) return;
    var m = event.data;
    if (!m || m.source !== 'workbench-host') return;
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
  });
  document.addEventListener('securitypolicyviolation', function (e) { post('cspViolation', { blockedURI: e.blockedURI, directive: e.effectiveDirective }); });
  function reportSize() { post('resize', { height: Math.ceil(document.documentElement.scrollHeight) }); }
  window.addEventListener('DOMContentLoaded', function () {
    window.dispatchEvent(new CustomEvent('openai:set_globals', { detail: { globals: globals } }));
    reportSize();
    if (typeof ResizeObserver === 'function') new ResizeObserver(reportSize).observe(document.documentElement);
  });
})();`
}
