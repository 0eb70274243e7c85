/**
 * The read-only fleet page: hosts, workspaces, and errors grouped across hosts. It holds no data and no token:
 * the reader token comes in the address's fragment (`/#token=…`, never sent to the server), is kept for the tab
 * and dropped from the address bar, and every table is filled from the query routes with it. Data is written as
 * text, never as markup, and the Content-Security-Policy allows nothing but this page's own files.
 */
export const FLEET_PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export const FLEET_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandlot fleet</title>
<link rel="stylesheet" href="/fleet.css">
<script src="/fleet.js" defer></script>
</head>
<body>
<header><h1>Sandlot fleet</h1><span id="status" role="status"></span></header>
<section id="signin" hidden>
  <p>Open this page with a reader token: <code>https://ORCHESTRATOR/#token=&lt;token&gt;</code>.</p>
  <p>Create one on the orchestrator with <code>sandlot orchestrator token add NAME --role reader</code>.</p>
</section>
<main id="fleet" hidden>
  <h2>Hosts</h2>
  <table id="hosts"><thead><tr><th>Host</th><th>Last contact</th><th>Last record</th><th>Sync delay</th><th>Workspaces</th><th>Agent</th></tr></thead><tbody></tbody></table>
  <h2>Workspaces</h2>
  <table id="workspaces"><thead><tr><th>Host</th><th>Workspace</th><th>Template</th><th>State</th><th>Updated</th></tr></thead><tbody></tbody></table>
  <h2>Errors</h2>
  <table id="errors"><thead><tr><th>Error</th><th>Count</th><th>Hosts</th><th>Workspaces</th><th>First seen</th><th>Last seen</th></tr></thead><tbody></tbody></table>
</main>
</body>
</html>
`

export const FLEET_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 24px 24px; color: #1d2330; background: #fafbfc; }
header { display: flex; align-items: baseline; gap: 16px; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 24px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
/* An app's message or a list of names can be one long word: only these break anywhere, so narrow windows need no sideways scroll. */
#errors td:nth-child(1), #errors td:nth-child(4) { overflow-wrap: anywhere; }
th { font-weight: 600; color: #555e6c; }
td.empty { color: #8a93a0; }
#status { color: #a33; }
code { background: #eef0f3; padding: 1px 4px; border-radius: 3px; }
@media (prefers-color-scheme: dark) {
  body { color: #e4e7eb; background: #15181d; } table { background: #1d2127; }
  th, td { border-color: #2c313a; } th { color: #9aa3b0; } code { background: #2c313a; }
}
`

export const FLEET_JS = `'use strict'
;(() => {
  const KEY = 'sandlot.fleet.token'
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token')
  if (fromHash) {
    sessionStorage.setItem(KEY, fromHash)
    history.replaceState(null, '', location.pathname)
  }
  const token = sessionStorage.getItem(KEY)
  const status = (text) => { document.getElementById('status').textContent = text }
  const show = (id) => { document.getElementById(id).hidden = false }
  if (!token) { show('signin'); return }
  const get = async (path) => {
    const response = await fetch(path, { headers: { authorization: 'Bearer ' + token } })
    const body = await response.json().catch(() => ({}))
    if (!response.ok) throw new Error((body.error && body.error.message) || ('HTTP ' + response.status))
    return body
  }
  const fill = (id, rows, empty) => {
    const tbody = document.querySelector('#' + id + ' tbody')
    tbody.replaceChildren()
    if (rows.length === 0) {
      const tr = tbody.insertRow(); const td = tr.insertCell(); td.colSpan = 9; td.className = 'empty'; td.textContent = empty
      return
    }
    for (const cells of rows) {
      const tr = tbody.insertRow()
      for (const text of cells) tr.insertCell().textContent = text
    }
  }
  const when = (iso) => (iso ? new Date(iso).toLocaleString() : 'never')
  const duration = (ms) => (ms < 1000 ? ms + ' ms' : ms < 120000 ? (ms / 1000).toFixed(1) + ' s' : ms < 7200000 ? Math.round(ms / 60000) + ' min' : ms < 172800000 ? Math.round(ms / 3600000) + ' h' : Math.round(ms / 86400000) + ' days')
  const ago = (iso) => { if (!iso) return 'never'; const ms = Math.max(0, Date.now() - Date.parse(iso)); return ms < 5000 ? 'just now' : duration(ms) + ' ago' }
  // The delay of the host's last batch with new records (record time to arrival), and how long ago that batch came.
  const delay = (d) => (d ? 'p50 ' + duration(d.p50Ms) + ', max ' + duration(d.maxMs) + ' (' + ago(d.receivedAt) + ')' : '—')
  const load = async () => {
    try {
      const [h, w, e] = await Promise.all([get('/api/fleet/hosts'), get('/api/fleet/workspaces'), get('/api/fleet/errors')])
      fill('hosts', h.hosts.map((x) => [x.name + (x.revoked ? ' (revoked)' : ''), when(x.lastContactAt), ago(x.lastRecordTs), delay(x.syncDelay), String(x.workspaces), x.agent || '—']), 'No hosts yet.')
      fill('workspaces', w.workspaces.map((x) => [x.host, x.name, x.template, x.state, when(x.updatedAt)]), 'No workspaces reported.')
      fill('errors', e.errors.map((x) => [x.message, String(x.count), x.hosts.join(', '), x.workspaces.join(', '), when(x.firstSeen), when(x.lastSeen)]), 'No errors.')
      status('')
      show('fleet')
    } catch (err) {
      status('Cannot load the fleet: ' + err.message)
      if (/token/i.test(err.message)) { sessionStorage.removeItem(KEY); show('signin') }
    }
  }
  load()
  setInterval(load, 10000)
})()
`
