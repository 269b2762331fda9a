import type { TestUser } from '../../shared/config'

const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--text:#1b1f24;--muted:#5b6570;--border:#d8dde3;--accent:#2f6feb;--accent-text:#fff;--chip:#eef2f7}
@media (prefers-color-scheme:dark){:root{--bg:#101317;--card:#181c22;--text:#e6e9ee;--muted:#9aa4af;--border:#2b323b;--accent:#4c8dff;--chip:#222933}}
*{box-sizing:border-box}body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:min(440px,calc(100vw - 32px));background:var(--card);border:1px solid var(--border);border-radius:12px;padding:28px}
.brand{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);margin:0 0 4px}
h1{font-size:20px;margin:0 0 6px}p{margin:0 0 16px;color:var(--muted)}
.users{display:grid;gap:8px;margin:0 0 18px;padding:0;border:0}
.user{display:flex;gap:12px;align-items:flex-start;padding:10px 12px;border:1px solid var(--border);border-radius:8px;cursor:pointer}
.user:has(input:checked){border-color:var(--accent);box-shadow:0 0 0 1px var(--accent)}
.user input{margin-top:4px}.user strong{display:block}.user small{color:var(--muted)}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}.chip{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--chip);border-radius:999px;padding:2px 8px}
.chip.denied{text-decoration:line-through;opacity:.6}
ul.scopes{list-style:none;padding:0;margin:0 0 18px;display:grid;gap:6px}
.actions{display:flex;gap:8px;justify-content:flex-end}
button{font:inherit;border-radius:8px;padding:8px 16px;border:1px solid var(--border);background:transparent;color:var(--text);cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-text)}
.note{font-size:13px;margin-top:16px}code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}`

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )
}

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="referrer" content="same-origin"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>` +
    `<p class="brand">MCP Auth Workbench · development issuer</p>${body}</main></body></html>`
  )
}

const chips = (scopes: string[], denied: Set<string> = new Set()) =>
  scopes.length
    ? `<span class="chips">${scopes.map((s) => `<span class="chip${denied.has(s) ? ' denied' : ''}">${escapeHtml(s)}</span>`).join('')}</span>`
    : '<small>no permissions</small>'

/** The sign-in page: every test user, the first pre-selected; one click signs in. */
export function renderSignIn(input: {
  uid: string
  clientName: string
  users: TestUser[]
  action: string
}): string {
  const users = input.users
    .map(
      (u, i) =>
        `<label class="user"><input type="radio" name="subject" value="${escapeHtml(u.subject)}"${i === 0 ? ' checked' : ''}>` +
        `<span><strong>${escapeHtml(u.name)}</strong><small>${escapeHtml(u.email)} · <code>${escapeHtml(u.subject)}</code></small>${chips(u.permissions)}</span></label>`,
    )
    .join('')
  return page(
    'Sign in',
    `<h1>Sign in as a test user</h1><p><strong>${escapeHtml(input.clientName)}</strong> wants you to sign in.</p>` +
      `<form method="post" action="${escapeHtml(input.action)}"><fieldset class="users">${users}</fieldset>` +
      `<div class="actions"><button type="submit" class="primary" id="sign-in">Sign in</button></div></form>` +
      `<p class="note">Test users come from <code>devIssuer.users</code> in the Workbench config. No password: this issuer is for development only.</p>`,
  )
}

/** The consent page: the requested scopes, struck through where the user lacks the permission. */
/** Where the answer goes: the redirect host, and a warning when only a program on this computer receives it. */
function redirectNote(redirectUri: string | null): string {
  if (!redirectUri) return ''
  let host: string
  try {
    host = new URL(redirectUri).host
  } catch {
    return ''
  }
  const loopback = /^(127\.0\.0\.1|\[::1\]|localhost)(:\d+)?$/.test(host)
  const warning = loopback
    ? ' <small class="redirect-warning">A program on this computer receives the answer, not a website.</small>'
    : ''
  return `<p class="redirect">You will be sent back to <code class="redirect-host">${escapeHtml(host)}</code>.${warning}</p>`
}

export function renderConsent(input: {
  clientName: string
  user: TestUser
  requested: string[]
  resource: string | null
  redirectUri?: string | null
  action: string
  abortAction: string
}): string {
  const denied = new Set(
    input.requested.filter(
      (s) => !input.user.permissions.includes(s) && s !== 'openid' && s !== 'offline_access',
    ),
  )
  const list = input.requested.length
    ? `<ul class="scopes">${input.requested.map((s) => `<li>${chips([s], denied)}${denied.has(s) ? ' <small>not granted: the user lacks this permission</small>' : ''}</li>`).join('')}</ul>`
    : '<p>No scopes were requested.</p>'
  const resource = input.resource
    ? `<p>For the resource <code>${escapeHtml(input.resource)}</code>.</p>`
    : ''
  return page(
    'Allow access',
    `<h1>Allow access?</h1><p><strong>${escapeHtml(input.clientName)}</strong> asks to act as <strong>${escapeHtml(input.user.name)}</strong> with:</p>` +
      `${list}${resource}${redirectNote(input.redirectUri ?? null)}<div class="actions">` +
      `<form method="post" action="${escapeHtml(input.abortAction)}">` +
      `<button type="submit" id="deny">Deny</button></form>` +
      `<form method="post" action="${escapeHtml(input.action)}"><button type="submit" class="primary" id="allow">Allow</button></form></div>`,
  )
}

export function renderMessage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`)
}
