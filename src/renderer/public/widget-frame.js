// The preview frame: loaded sandboxed (allow-scripts only, opaque origin) from the UI's own origin so that it
// gets its own CSP instead of inheriting the UI's (srcdoc and data: frames inherit it and block inline scripts).
// It accepts one document from its parent and writes it; the widget's own CSP meta then narrows what runs.
(function () {
  window.addEventListener('message', function onRender(event) {
    if (event.source !== window.parent) return
    var m = event.data
    if (!m || m.source !== 'workbench-host' || m.type !== 'render' || typeof m.html !== 'string') return
    window.removeEventListener('message', onRender)
    document.open()
    document.write(m.html)
    document.close()
  })
  window.parent.postMessage({ source: 'workbench-frame', type: 'ready' }, '*')
})()
