// The app the monitor-overhead benchmark runs inside a container (as /tmp/app.js, plain Node, no deps).
// It waits until `startAt` (epoch ms, from /tmp/bench-app.json), then prints `rate` lines per second for
// `durationMs`, paced by a `tickMs` timer (a late tick prints its backlog, as a real app's burst would).
// Lines look like a dev server's: timestamps, coloured levels, request logs on stdout, warnings and
// the odd error with a stack trace on stderr; every line ends with ` #<n>`, a counter the host checks.
// Afterwards it writes what it did to /tmp/bench-result.json (not to stdout: that would be counted)
// and stays alive, idle, until stopped, so the host can read the container's cgroup counters.
'use strict'
const fs = require('node:fs')

const cfg = JSON.parse(fs.readFileSync('/tmp/bench-app.json', 'utf8'))
const total = Math.round((cfg.rate * cfg.durationMs) / 1000)
const errorEvery = cfg.errorEvery || 2000
const warnPercent = cfg.warnPercent ?? 10

const routes = ['/api/items', '/api/users', '/api/cart', '/assets/index.js', '/api/search', '/health']
const methods = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE']
const green = (s) => `\x1b[32m${s}\x1b[39m`
const yellow = (s) => `\x1b[33m${s}\x1b[39m`
const red = (s) => `\x1b[31m${s}\x1b[39m`

let n = 0 // lines printed (stack lines included)
let counted = 0 // counters used
let stdoutLines = 0
let stderrLines = 0
let errors = 0
let maxBacklog = 0

function emit() {
  const id = counted++
  const ts = new Date().toISOString()
  const k = id % 100
  if (id % errorEvery === errorEvery - 1) {
    // An error with a stack: four lines in one write, as console.error(err) does.
    const route = routes[id % routes.length]
    console.error(
      `${ts} ${red('ERROR')} [proxy] Error: upstream ${route} timed out after ${3000 + (id % 7)}ms #${id}\n` +
        `    at Timeout._onTimeout (/app/server/proxy.js:${40 + (id % 3)}:15)\n` +
        `    at listOnTimeout (node:internal/timers:581:17)\n` +
        `    at process.processTimers (node:internal/timers:519:7)`
    )
    n += 4
    stderrLines += 4
    errors++
  } else if (k < warnPercent) {
    console.error(`${ts} ${yellow('WARN')}  [cache] miss ratio 0.${40 + k} above 0.40 for key items:${id % 9973} #${id}`)
    n++
    stderrLines++
  } else if (k < warnPercent + 15) {
    console.log(`${ts} DEBUG [db] select * from items where owner_id = $1 limit 50 -- ${(id % 97) / 10}ms rows=${id % 50} #${id}`)
    n++
    stdoutLines++
  } else {
    const route = routes[id % routes.length]
    const method = methods[(id >> 3) % methods.length]
    console.log(
      `${ts} ${green('INFO')}  [http] ${method} ${route}/${id % 1000} ${id % 53 === 0 ? 404 : 200} ${(id % 400) / 10}ms - req ${(id * 2654435761) % 4294967296} #${id}`
    )
    n++
    stdoutLines++
  }
}

let firstAt = 0
function tick() {
  const now = Date.now()
  if (firstAt === 0) firstAt = now
  const due = Math.min(total, Math.floor(((now - cfg.startAt) * cfg.rate) / 1000))
  maxBacklog = Math.max(maxBacklog, due - counted)
  while (counted < due) emit()
  if (counted >= total) return finish()
  setTimeout(tick, cfg.tickMs)
}

function finish() {
  const lastAt = Date.now()
  const result = { counters: counted, lines: n, stdoutLines, stderrLines, errors, firstAt, lastAt, lateStartMs: firstAt - cfg.startAt, maxBacklog }
  // Written whole, then renamed: the host polls for the file and must never read half of it.
  fs.writeFileSync('/tmp/bench-result.json.tmp', JSON.stringify(result))
  fs.renameSync('/tmp/bench-result.json.tmp', '/tmp/bench-result.json')
}

process.on('SIGTERM', () => process.exit(0))
setInterval(() => {}, 1 << 30)
setTimeout(tick, Math.max(0, cfg.startAt - Date.now()))
