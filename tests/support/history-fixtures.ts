import { setTimeout as sleep } from 'node:timers/promises'
import type Dockerode from 'dockerode'
import type { MonitorRecord } from '../../container/src/protocol'
import { readMonitorRecords } from '../../src-main/core/monitor/monitor-records'
import type { SandlotCore } from '../../src-main/core/sandlot-core'
import { workspaces } from '../../src-main/core/store/schema'
import { execInContainer } from '../../src-main/core/workspaces/container-exec'
import { MONITOR_CAPABILITIES } from '../../src-main/core/workspaces/container-spec'
import { putFiles } from './core-image'

/**
 * History tests need workspace containers that run an app of their choosing, under the monitor: a container of
 * the core image labelled for the core's instance, and a workspace row naming it (what a create leaves).
 */
export async function monitoredWorkspace(
  core: SandlotCore,
  imageTag: string,
  name: string,
  app: string,
  logConfig: Record<string, string> = { 'max-size': '10m', 'max-file': '3' }
): Promise<Dockerode.Container> {
  const docker = core.engine.connection.docker
  const container = await docker.createContainer({
    name: `sandlot-${name}`,
    Image: imageTag,
    Labels: { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': core.instanceId, 'dev.sandlot.role': 'workspace', 'dev.sandlot.workspace': name },
    StopTimeout: 15,
    HostConfig: { NetworkMode: 'none', CapDrop: ['ALL'], CapAdd: [...MONITOR_CAPABILITIES], SecurityOpt: ['no-new-privileges'], PidsLimit: 256, LogConfig: { Type: 'json-file', Config: logConfig } }
  })
  await putFiles(container, '/app', { 'app.js': app })
  const now = new Date().toISOString()
  core.database.db.insert(workspaces).values({ name, templateId: 'test', containerId: container.id, status: 'ready', phase: 'ready', createdAt: now, updatedAt: now }).run()
  await container.start()
  return container
}

/** Starts `node /app/app.js` under the monitor, once the monitor answers (it is the container's main process). */
export async function startApp(container: Dockerode.Container, ...extra: string[]): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const result = await execInContainer(container, ['monitor-cli', 'process', 'start', '--command', 'node /app/app.js', '--cwd', '/app', ...extra, '--json'], { user: 'monitor' })
    if (result.exitCode === 0) return
    if (!result.stdout.includes('MONITOR_UNREACHABLE') || Date.now() > deadline) throw new Error(`monitor-cli process start failed: ${result.stdout}${result.stderr}`)
    await sleep(100)
  }
}

/** Every record the container's log holds now, in order, read straight from the engine. */
export async function dockerRecords(docker: Dockerode, container: Dockerode.Container): Promise<MonitorRecord[]> {
  const found: MonitorRecord[] = []
  await readMonitorRecords(docker, container.id, {}, { onRecord: (r) => found.push(r.record) })
  return found
}

/**
 * An app that prints `line 0`, `line 1` … `line count-1` in bursts of `perBurst` lines `everyMs` apart, each padded
 * with `width` x's when asked, then ends (or, with `stay`, stays up).
 */
export function printer(count: number, { perBurst = 200, everyMs = 5, width = 0, stay = false } = {}): string {
  return `
const pad = ${width} > 0 ? ' ' + 'x'.repeat(${width}) : ''
let i = 0
function burst() {
  for (let k = 0; k < ${perBurst} && i < ${count}; k++, i++) console.log('line ' + i + pad)
  if (i < ${count}) setTimeout(burst, ${everyMs})
  else if (${stay}) setInterval(() => {}, 1000)
}
burst()
`
}

/**
 * An app that crashes with a TypeError (`config.port` of undefined) on its first run only; the run count lives in
 * /tmp, so a restart of the app or of its container is a later run. Every run first does `before` (where `run` is
 * its number); later runs then do `after` (by default: stay up doing nothing).
 */
export function crashOnFirstRun({ before = '', after = 'setInterval(() => {}, 60000)' } = {}): string {
  return `
const fs = require('fs')
const run = (fs.existsSync('/tmp/runs') ? Number(fs.readFileSync('/tmp/runs', 'utf8')) : 0) + 1
fs.writeFileSync('/tmp/runs', String(run))
${before}
if (run === 1) setTimeout(() => { const config = undefined; console.log(config.port) }, 50)
else ${after}
`
}

/** What the history holds of a container, as `boot:seq` keys in storage order, per table. */
export function storedKeys(core: SandlotCore, containerId: string): { logs: string[]; events: string[]; errors: string[]; gaps: Array<{ boot: string; seq: number; missed: number }> } {
  const keys = (sql: string): string[] => (core.database.sqlite.prepare(sql).all(containerId) as { boot: string; seq: number }[]).map((r) => `${r.boot}:${r.seq}`)
  return {
    logs: keys('SELECT boot, seq FROM log_lines WHERE container = ? ORDER BY id'),
    events: keys("SELECT boot, seq FROM history_events WHERE container = ? AND kind != 'gap' ORDER BY id"),
    errors: keys('SELECT boot, seq FROM error_occurrences WHERE container = ? ORDER BY id'),
    gaps: core.database.sqlite.prepare("SELECT boot, seq, missed FROM history_events WHERE container = ? AND kind = 'gap' ORDER BY id").all(containerId) as Array<{ boot: string; seq: number; missed: number }>
  }
}

/** The same split of records as the engine has them. */
export function expectedKeys(records: MonitorRecord[]): { logs: string[]; events: string[]; errors: string[] } {
  const key = (r: MonitorRecord): string => `${r.boot}:${r.seq}`
  return {
    logs: records.filter((r) => r.type === 'log').map(key),
    events: records.filter((r) => r.type !== 'log' && r.type !== 'error').map(key),
    errors: records.filter((r) => r.type === 'error').map(key)
  }
}
