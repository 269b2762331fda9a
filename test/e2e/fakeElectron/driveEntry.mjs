// Runs the built Electron entry (out/main/index.js) against the fake electron module and prints what it did as JSON.
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const entry = process.argv[2]
await import(pathToFileURL(entry).href)
const e = globalThis.__fakeElectron
for (let i = 0; i < 200 && e.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 50))
const window = e.windows[0]
const contents = window.webContents
const appFrame = { parent: null, url: 'app://workbench/index.html' }
const call = (channel, frame, ...args) =>
  e.handlers.get(channel)({ sender: contents, senderFrame: frame }, ...args)

const out = {
  webPreferences: window.options.webPreferences,
  preloadExists: existsSync(window.options.webPreferences.preload),
  url: window.url,
  schemes: e.schemes,
  userData: e.userData,
  channels: [...e.handlers.keys()],
}
out.assets = {}
for (const url of [
  'app://workbench/index.html',
  'app://workbench/widget-frame.html',
  'app://workbench/../../../etc/passwd',
  'app://other/index.html',
]) {
  const response = await e.protocols.get('app')(new Request(url))
  out.assets[url] = {
    status: response.status,
    csp: response.headers.get('content-security-policy'),
  }
}
out.fromApp = await call('app:getState', appFrame)
out.fromIframe = await call('app:getState', {
  parent: appFrame,
  url: 'app://workbench/widget-frame.html',
})
out.fromForeignPage = await call('app:getState', { parent: null, url: 'https://evil.example/' })
out.fromOtherContents = await e.handlers.get('app:getState')({ sender: {}, senderFrame: appFrame })
out.badArgs = await call('widget:setAuth', appFrame, 'public-widget', { auth: 'sometimes' })
out.openHttp = await call('shell:openExternal', appFrame, 'http://example.com/')
out.openHttps = await call('shell:openExternal', appFrame, 'https://example.com/')
out.windowOpen = contents.windowOpenHandler({ url: 'https://docs.example/' })
out.windowOpenFile = contents.windowOpenHandler({ url: 'file:///etc/passwd' })
let navigationPrevented = false
contents.emit(
  'will-navigate',
  { preventDefault: () => (navigationPrevented = true) },
  'https://evil.example/',
)
out.navigationPrevented = navigationPrevented
out.permissions = {}
for (const [permission, url] of [
  ['media', 'app://workbench/'],
  ['geolocation', 'app://workbench/'],
  ['clipboard-sanitized-write', 'app://workbench/index.html'],
  ['clipboard-sanitized-write', 'https://evil.example/'],
]) {
  await new Promise((resolve) =>
    e.permissionRequest(
      contents,
      permission,
      (granted) => resolve((out.permissions[`${permission} ${url}`] = granted)),
      { isMainFrame: true, requestingUrl: url },
    ),
  )
}
await fetch(
  out.fromApp.value.status.mcpUrl.replace(/\/mcp$/, '/.well-known/oauth-protected-resource'),
)
for (let i = 0; i < 100 && !contents.sent.includes('log:appended'); i++)
  await new Promise((r) => setTimeout(r, 20))
out.eventsSent = contents.sent
let quitPrevented = false
const { app } = await import('electron')
app.emit('before-quit', { preventDefault: () => (quitPrevented = true) })
for (let i = 0; i < 200 && e.exitCode === null; i++) await new Promise((r) => setTimeout(r, 25))
out.quit = { prevented: quitPrevented, exitCode: e.exitCode }
out.opened = e.opened
process.stdout.write(`${JSON.stringify(out)}\n`)
process.exit(0)
