import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProcessStatus } from '../../container/src/control-protocol'
import type { MonitorRecord } from '../../container/src/protocol'
import { readMonitorRecords } from '../../src-main/core/monitor/monitor-records'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { execInContainer } from '../../src-main/core/workspaces/container-exec'
import { WorkspacePool } from '../../src-main/core/workspaces/workspace-pool'
import { WorkspaceService, type WorkspaceTemplate } from '../../src-main/core/workspaces/workspace-service'
import { tarOf, testBaseImage } from '../support/core-image'
import { httpGet } from '../support/http'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { tempSandlotHome } from '../support/run-cli'

// Issue 10 "Records that can be trusted", issue 10 "The app's state must be true" and issue 11 finding 5, on a
// real workspace: the app (and a terminal, both `node`) tries every way it has to write a record in the monitor's
// name; its state follows its port; its preview refuses names that are not the loopback's.

/** A record as an app would forge it: a boot id and sequence numbers of its choosing. */
const FORGED_BOOT = 'f0f0f0f0f0f0f0f0'
const forged = (seq: number, to = 'ready') =>
  JSON.stringify({ v: 1, boot: FORGED_BOOT, seq, ts: new Date(0).toISOString(), type: 'state', from: 'starting', to, reason: 'forged' })

// Runs as the app (and again from an exec as node): every route to the container's stdout it can name, each
// outcome written down, so the test knows each route was tried (and how it failed), not only that nothing arrived.
const ATTACK = `
const fs = require('fs'), net = require('net')
const label = process.argv[2]
const line = (seq) => JSON.stringify({ v: 1, boot: '${FORGED_BOOT}', seq, ts: new Date(0).toISOString(), type: 'state', from: 'starting', to: 'ready', reason: 'forged' }) + '\\n'
const outcome = {}
const attempt = (name, action) => { try { action(); outcome[name] = 'WRITTEN' } catch (e) { outcome[name] = e.code || e.message } }
// 1. Its own stdout and stderr: the monitor wraps them into log records.
process.stdout.write(line(0))
process.stderr.write(line(1))
// 2. The descriptors of every other process: tini (pid 1), the monitor, anything else running.
const pids = fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p) && Number(p) !== process.pid)
for (const pid of pids) {
  let cmd = ''
  try { cmd = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0').join(' ').trim() } catch {}
  for (const fd of [1, 2]) attempt('/proc/' + pid + '/fd/' + fd + ' (' + cmd + ')', () => { const f = fs.openSync('/proc/' + pid + '/fd/' + fd, 'w'); fs.writeSync(f, line(10 + fd)); fs.closeSync(f) })
  attempt('/proc/' + pid + '/mem (' + cmd + ')', () => fs.closeSync(fs.openSync('/proc/' + pid + '/mem', 'r+')))
}
// 3. Signals to the monitor and to tini.
for (const pid of pids) { try { const cmd = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8'); if (/monitor\\.js|tini/.test(cmd)) attempt('kill ' + pid + ' (' + cmd.split('\\0')[0] + ')', () => process.kill(Number(pid), 'SIGSTOP')) } catch {} }
// 4. What the monitor resumes at its next start.
attempt('/var/lib/sandlot/process.json', () => fs.writeFileSync('/var/lib/sandlot/process.json', '{}'))
// 5. The container's log file (the host's; not mounted) and the console.
for (const path of ['/var/lib/docker', '/dev/console', '/dev/tty']) attempt(path, () => fs.closeSync(fs.openSync(path, 'r+')))
// 6. Its own descriptors: the container's stdout must not be among them.
const fds = {}
for (const fd of fs.readdirSync('/proc/self/fd')) { try { fds[fd] = fs.readlinkSync('/proc/self/fd/' + fd) } catch {} }
const who = { uid: process.getuid(), gid: process.getgid(), groups: process.getgroups(), home: process.env.HOME, user: process.env.USER, capEff: /CapEff:\\s*(\\w+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1] }
// 7. The control socket: a request that would make the monitor stop the app.
const sock = net.connect('/run/sandlot/monitor.sock')
sock.on('connect', () => { sock.write(JSON.stringify({ op: 'process.stop' }) + '\\n'); outcome['control socket'] = 'CONNECTED'; finish() })
sock.on('error', (e) => { outcome['control socket'] = e.code; finish() })
function finish() { fs.writeFileSync('/tmp/attack-' + label + '.json', JSON.stringify({ outcome, fds, who })); sock.destroy() }
`

// The app: serves until /tmp/broken exists (a syntax error saved under a file watcher), and again once it is gone.
const APP = `
const fs = require('fs'), http = require('http')
let server = null
const open = () => { server = http.createServer((q, s) => s.end('app ok, host=' + q.headers.host)).listen(3000, '127.0.0.1', () => console.log('listening on 3000')) }
open()
setInterval(() => {
  const broken = fs.existsSync('/tmp/broken')
  if (broken && server) { server.close(); server.closeAllConnections(); server = null; console.log('lost the port') }
  if (!broken && !server) open()
}, 100)
`

function template(): WorkspaceTemplate {
  const files: Record<string, string> = { 'attack.js': ATTACK, 'app.js': APP, 'package.json': '{"name":"trust","version":"1.0.0"}' }
  return {
    manifest: { id: 'trust', name: 'Trust', start: 'node attack.js app && node app.js', port: 3000, previewHosts: ['*.trusted.example'] },
    async pack() {
      return tarOf(files)
    }
  }
}

interface AttackReport {
  outcome: Record<string, string>
  fds: Record<string, string>
  who: { uid: number; gid: number; groups: number[]; home: string; user: string; capEff: string }
}

/** The preview port's root, with these headers. */
const previewGet = (port: number, headers: Record<string, string> = {}) => httpGet(`http://127.0.0.1:${port}/`, headers)

const run = randomBytes(3).toString('hex')
let core: SandlotCore
let docker: Dockerode
let service: WorkspaceService
let container: Dockerode.Container
let previewPort: number
const name = `trust-${run}`

async function allRecords(): Promise<MonitorRecord[]> {
  const found: MonitorRecord[] = []
  await readMonitorRecords(docker, container.id, {}, { onRecord: (r) => found.push(r.record) })
  return found
}

async function readJson<T>(path: string): Promise<T> {
  const result = await execInContainer(container, ['cat', path])
  expect(result.exitCode, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as T
}

async function status(): Promise<ProcessStatus> {
  return (await service.process(name, 'status')) as ProcessStatus
}

async function waitForState(state: string): Promise<ProcessStatus> {
  const deadline = Date.now() + 90_000
  for (;;) {
    const now = await status()
    if (now.state === state) return now
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${state}; state: ${now.state} (${now.reason})`)
    await sleep(250)
  }
}

beforeAll(async () => {
  core = openSandlotCore({ home: tempSandlotHome() })
  docker = core.engine.connection.docker
  const imageTag = (await core.api.call('image.build', { base: testBaseImage() })).tag
  const engine = <T>(work: (d: Dockerode) => Promise<T>) => core.engine.use(work)
  const pool = new WorkspacePool({ db: core.database.db, instanceId: core.instanceId, engine, settings: () => ({ size: 0, maxConcurrentCreates: 1 }) })
  service = new WorkspaceService({
    db: core.database.db,
    pool,
    snapshots: core.snapshots,
    engine,
    template: async () => template(),
    imageTag: async () => imageTag,
    appWait: { timeoutMs: 90_000 }
  })
  const ws = await service.create({ template: 'trust', name })
  container = docker.getContainer(ws.containerId)
  previewPort = Number(new URL(ws.previewUrl!).port)
}, 600_000)

afterAll(async () => {
  await core.snapshots.idle()
  await removeInstanceObjects(docker, core.instanceId)
  core.close()
})

describe('records that can be trusted', () => {
  it('runs tini and the monitor as root with three capabilities, the app as node with none', async () => {
    const app = await readJson<AttackReport>('/tmp/attack-app.json')
    expect(app.who).toEqual({ uid: 1000, gid: 1000, groups: [1000], home: '/home/node', user: 'node', capEff: '0000000000000000' })
    const ps = await execInContainer(container, ['ps', '-eo', 'user:12,args'])
    expect(ps.stdout).toMatch(/^root +tini -- node \/opt\/sandlot\/monitor\.js$/m)
    expect(ps.stdout).toMatch(/^root +node \/opt\/sandlot\/monitor\.js$/m)
    expect(ps.stdout).toMatch(/^node +node app\.js$/m)
    const monitorCaps = await execInContainer(container, ['bash', '-c', 'grep CapEff /proc/$(pgrep -f "^node /opt/sandlot/monitor.js")/status'])
    // CAP_KILL (5), CAP_SETGID (6), CAP_SETUID (7) and nothing else.
    expect(monitorCaps.stdout.trim()).toBe('CapEff:\t00000000000000e0')
    const info = await container.inspect()
    expect(info.Config.User).toBe('root')
    expect(info.HostConfig.CapDrop).toEqual(['ALL'])
    expect(info.HostConfig.CapAdd).toEqual(['SETUID', 'SETGID', 'KILL'])
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges')
  })

  it('gives the app no way to the container’s stdout: every route it tries is refused', async () => {
    // The same attack from a terminal: `docker exec` sessions run as node too.
    const exec = await execInContainer(container, ['node', '/app/attack.js', 'exec'], { workingDir: '/app' })
    expect(exec.exitCode, exec.stderr).toBe(0)
    for (const label of ['app', 'exec']) {
      const { outcome, fds } = await readJson<AttackReport>(`/tmp/attack-${label}.json`)
      const routes = Object.keys(outcome)
      // The routes were really tried: tini's and the monitor's descriptors among them.
      expect(routes.some((r) => /^\/proc\/1\/fd\/1 \(tini/.test(r)), label).toBe(true)
      expect(routes.some((r) => /^\/proc\/\d+\/fd\/1 \(node \/opt\/sandlot\/monitor\.js/.test(r)), label).toBe(true)
      const reachedRoot = Object.entries(outcome).filter(([route, result]) => /tini|monitor\.js|sandlot|console|tty|docker|socket/.test(route) && !/^E[A-Z]+$/.test(result))
      expect(reachedRoot, label).toEqual([])
      expect(outcome['control socket']).toBe('EACCES')
      expect(outcome['/var/lib/sandlot/process.json']).toBe('EACCES')
      expect(Object.entries(outcome).filter(([route]) => route.startsWith('kill ')).map(([, result]) => result)).toEqual(['EPERM', 'EPERM'])
      if (label === 'app') {
        // Its own descriptors are pipes the monitor reads and /dev/null, never the container's stdout (tini's fd 1).
        const containerStdout = (await execInContainer(container, ['readlink', '/proc/1/fd/1'], { user: 'monitor' })).stdout.trim()
        expect(containerStdout).toMatch(/^pipe:\[\d+\]$/)
        expect(Object.values(fds)).not.toContain(containerStdout)
        expect(fds['0']).toBe('/dev/null')
      }
    }
    // The host accepted nothing with the forged boot; what the app printed arrived as its log lines, in the real boot.
    const records = await allRecords()
    expect(records.filter((r) => r.boot === FORGED_BOOT)).toEqual([])
    expect(new Set(records.map((r) => r.boot)).size).toBe(1)
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i))
    const printed = records.filter((r) => r.type === 'log' && r.line.includes(FORGED_BOOT))
    expect(printed.map((r) => (r as Extract<MonitorRecord, { type: 'log' }>).stream).sort()).toEqual(['stderr', 'stdout'])
    expect((await status()).state).toBe('ready') // the forged "ready", and the stop request, changed nothing
  })

  it('would accept such a line from the monitor’s own user: the route is real, only the app is kept off it', async () => {
    // Control for the test above: root (the monitor's user, through a host-side exec) can write into tini's stdout.
    const line = forged(0, 'failed').replace(FORGED_BOOT, 'c0c0c0c0c0c0c0c0')
    const wrote = await execInContainer(container, ['bash', '-c', `printf '%s\\n' '${line}' > /proc/1/fd/1`], { user: 'monitor' })
    expect(wrote.exitCode, wrote.stderr).toBe(0)
    const deadline = Date.now() + 30_000
    while (!(await allRecords()).some((r) => r.boot === 'c0c0c0c0c0c0c0c0')) {
      if (Date.now() > deadline) throw new Error('the control line never reached the host')
      await sleep(200)
    }
  })

  it('keeps monitor-cli to the monitor’s user: a terminal (node) is told so, the host (root) is answered', async () => {
    const asNode = await execInContainer(container, ['monitor-cli', 'process', 'stop'])
    expect(asNode.exitCode).toBe(1)
    expect(asNode.stderr).toContain('EACCES')
    expect(asNode.stderr).toContain("only the monitor's user (root in Sandlot's containers) may use its socket")
    const asMonitor = await execInContainer(container, ['monitor-cli', 'health'], { user: 'monitor' })
    expect(asMonitor).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^healthy: ready/) })
  })

  it('gives terminals node’s home and the editors and pager of the image', async () => {
    const shell = await execInContainer(container, ['bash', '-c', 'id -un; echo "$HOME"; command -v vi nano less'])
    expect(shell.stdout.split('\n').slice(0, 2)).toEqual(['node', '/home/node'])
    expect(shell.stdout).toMatch(/\/vi\n.*\/nano\n.*\/less\n$/)
  })
})

describe('the preview answers only its loopback names (DNS rebinding)', () => {
  it('refuses a request and a WebSocket upgrade for another name with 403, and serves the loopback names', async () => {
    const evil = await previewGet(previewPort, { Host: `evil.example:${previewPort}` })
    expect(evil.status).toBe(403)
    expect(evil.headers['x-sandlot-preview']).toBe('host-refused')
    expect(evil.body).toContain(`Host &#34;evil.example:${previewPort}&#34;`)
    expect(evil.body).toContain('DNS rebinding')
    const upgrade = await previewGet(previewPort, { Host: `evil.example:${previewPort}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' })
    expect(upgrade.status).toBe(403)
    // The template allows more names on purpose (previewHosts: *.trusted.example); its base name is still refused.
    for (const host of [`localhost:${previewPort}`, `127.0.0.1:${previewPort}`, `[::1]:${previewPort}`, 'dev.trusted.example']) {
      expect(await previewGet(previewPort, { Host: host })).toMatchObject({ status: 200, body: `app ok, host=${host}` })
    }
    expect((await previewGet(previewPort, { Host: 'trusted.example' })).status).toBe(403)
    // The app never saw the refused requests: its log has no request for evil.example (it logs none at all), and the
    // monitor noted the refusal on its diagnostics (stderr), not in the record stream.
    const logs = (await container.logs({ stdout: false, stderr: true })) as unknown as Buffer
    expect(logs.toString('utf8')).toContain(`refused a request with Host "evil.example:${previewPort}"`)
  })
})

describe('the app’s state follows its port', () => {
  it('turns unhealthy when the port stops answering, and ready again when it answers, without a restart', async () => {
    await execInContainer(container, ['touch', '/tmp/broken'])
    const unhealthy = await waitForState('unhealthy')
    expect(unhealthy.reason).toBe('port 3000 did not answer 2 health checks in a row')
    const preview = await previewGet(previewPort, { Host: `localhost:${previewPort}` })
    expect(preview.status).toBe(503)
    expect(preview.body).toContain('state: unhealthy')
    expect((await execInContainer(container, ['monitor-cli', 'health'], { user: 'monitor' })).exitCode).toBe(1)
    await execInContainer(container, ['rm', '/tmp/broken'])
    const ready = await waitForState('ready')
    expect(ready).toMatchObject({ reason: 'port 3000 answers again', run: unhealthy.run, restarts: { total: 0 } })
    const states = (await allRecords()).filter((r) => r.type === 'state').map((r) => (r as Extract<MonitorRecord, { type: 'state' }>).to)
    expect(states.slice(-2)).toEqual(['unhealthy', 'ready'])
  })

  it('shows a crash-restart’s count and last exit in `process status`', async () => {
    const before = await status()
    // A terminal (node) may end the app it shares its user with: the monitor sees a crash and restarts it.
    const killed = await execInContainer(container, ['kill', '-KILL', String(before.pid)])
    expect(killed.exitCode, killed.stderr).toBe(0)
    const deadline = Date.now() + 90_000
    let after = await status()
    while (!(after.state === 'ready' && after.run > before.run)) {
      if (Date.now() > deadline) throw new Error(`not ready again after the crash: ${after.state} (${after.reason})`)
      await sleep(250)
      after = await status()
    }
    expect(after.restarts.total).toBe(1)
    expect(after.lastExit).toMatchObject({ exitCode: null, signal: 'SIGKILL' })
    const text = await execInContainer(container, ['monitor-cli', 'process', 'status'], { user: 'monitor' })
    expect(text.stdout).toMatch(/^restarts: +1 automatic since the monitor started, 1 in the window/m)
    expect(text.stdout).toMatch(/^last exit: +signal SIGKILL after \d+ ms/m)
  })
})
