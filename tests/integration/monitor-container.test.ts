import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CrashRecord, ErrorRecord, MonitorRecord, RestartRecord } from '../../container/src/protocol'
import { readMonitorRecords, type RecordProblem } from '../../src-main/core/monitor/monitor-records'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { execInContainer } from '../../src-main/core/workspaces/container-exec'
import { MONITOR_CAPABILITIES } from '../../src-main/core/workspaces/container-spec'
import { putFiles, testBaseImage } from '../support/core-image'
import { tempSandlotHome } from '../support/run-cli'

// An app that crashes with a TypeError on its first two runs and then serves; the run count lives in /tmp,
// which survives a container restart.
const APP = `
const fs = require('fs')
const http = require('http')
const run = (fs.existsSync('/tmp/runs') ? Number(fs.readFileSync('/tmp/runs', 'utf8')) : 0) + 1
fs.writeFileSync('/tmp/runs', String(run))
console.log('app run ' + run)
if (run <= 2) {
  setTimeout(() => { const config = undefined; console.log(config.port) }, 50)
} else {
  process.on('SIGTERM', () => { console.log('app got SIGTERM, shutting down'); process.exit(0) })
  http.createServer((req, res) => res.end('ok')).listen(3000, '127.0.0.1', () => console.log('listening on 3000'))
}
`

const instance = `test-${randomBytes(4).toString('hex')}`
let core: SandlotCore
let docker: Dockerode
let tag: string

async function records(container: Dockerode.Container): Promise<{ records: MonitorRecord[]; problems: RecordProblem[] }> {
  const found: MonitorRecord[] = []
  const problems: RecordProblem[] = []
  await readMonitorRecords(docker, container.id, {}, { onRecord: (r) => found.push(r.record), onProblem: (p) => problems.push(p) })
  return { records: found, problems }
}

async function waitForRecords(container: Dockerode.Container, what: string, done: (all: MonitorRecord[]) => boolean): Promise<MonitorRecord[]> {
  const deadline = Date.now() + 90_000
  for (;;) {
    const { records: all } = await records(container)
    if (done(all)) return all
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; records so far:\n${all.map((r) => JSON.stringify(r)).join('\n')}`)
    await sleep(250)
  }
}

async function createMonitored(name: string, overrides: Partial<Dockerode.ContainerCreateOptions> = {}): Promise<Dockerode.Container> {
  return docker.createContainer({
    name: `sandlot-${instance}-${name}`,
    Image: tag,
    Labels: { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': instance, 'dev.sandlot.role': 'workspace', 'dev.sandlot.workspace': name },
    StopTimeout: 15,
    HostConfig: {
      NetworkMode: 'none',
      // As workspace containers run it: the monitor as root with only what it needs to run the app as node.
      CapDrop: ['ALL'],
      CapAdd: [...MONITOR_CAPABILITIES],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: 256,
      Memory: 512 * 1024 * 1024,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } }
    },
    ...overrides
  })
}

const boots = (all: MonitorRecord[]): string[] => [...new Set(all.map((r) => r.boot))]
const ofType = <T extends MonitorRecord['type']>(all: MonitorRecord[], type: T) => all.filter((r) => r.type === type) as Extract<MonitorRecord, { type: T }>[]

beforeAll(async () => {
  core = openSandlotCore({ home: tempSandlotHome() })
  docker = core.engine.connection.docker
  tag = (await core.api.call('image.build', { base: testBaseImage() })).tag
})

afterAll(async () => {
  const containers = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${instance}`] } })
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })))
  core.close()
})

describe('sandlot-monitor in a real container', () => {
  let container: Dockerode.Container
  let firstBoot: string

  beforeAll(async () => {
    container = await createMonitored('crashy')
    await putFiles(container, '/app', { 'app.js': APP })
    await container.start()
    const start = await execInContainer(container, [
      'monitor-cli', 'process', 'start', '--command', 'node /app/app.js', '--cwd', '/app', '--port', '3000',
      '--backoff-initial', '300ms', '--backoff-factor', '2', '--json'
    ], { user: 'monitor' })
    expect(start.exitCode, start.stderr).toBe(0)
  })

  it('reports two crashes, restarts with growing delays, the classified errors and ready, with consecutive seq', async () => {
    const all = await waitForRecords(container, 'ready', (r) => r.some((x) => x.type === 'ready'))
    expect(boots(all)).toHaveLength(1)
    firstBoot = all[0]!.boot
    expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => i))

    const crashes = ofType(all, 'crash') as CrashRecord[]
    expect(crashes.map((c) => [c.run, c.exitCode])).toEqual([[1, 1], [2, 1]])
    const restarts = ofType(all, 'restart') as RestartRecord[]
    expect(restarts).toHaveLength(2)
    expect(restarts[1]!.delayMs).toBeGreaterThan(restarts[0]!.delayMs)
    expect(ofType(all, 'ready')[0]).toMatchObject({ run: 3 })

    const errors = ofType(all, 'error') as ErrorRecord[]
    const typeErrors = errors.filter((e) => /Cannot read properties of undefined/.test(e.message))
    expect(typeErrors.length).toBeGreaterThanOrEqual(2)
    expect(typeErrors[0]).toMatchObject({ category: 'runtime', severity: expect.stringMatching(/error|fatal/) })
    expect(typeErrors[0]!.stack).toMatch(/at .*app\.js:\d+/)
    expect(new Set(typeErrors.map((e) => e.fingerprint)).size).toBe(1)
    expect(typeErrors.at(-1)!.count).toBeGreaterThanOrEqual(2)
    expect(typeErrors[0]).toMatchObject({ file: '/app/app.js', line: expect.any(Number) })
  })

  it('answers `monitor-cli process status --json` through docker exec', async () => {
    const status = await execInContainer(container, ['monitor-cli', 'process', 'status', '--json'], { user: 'monitor' })
    expect(status.exitCode).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject({ boot: firstBoot, state: 'ready', run: 3, pid: expect.any(Number) })
  })

  it('resumes the app under a new boot after `docker restart`', async () => {
    await container.restart({ t: 15 })
    const all = await waitForRecords(container, 'ready after restart', (r) => boots(r).length === 2 && r.some((x) => x.type === 'ready' && x.boot !== firstBoot))
    const second = all.filter((r) => r.boot !== firstBoot)
    expect(second.map((r) => r.seq)).toEqual(second.map((_, i) => i))
    expect(ofType(second, 'spec')[0]).toMatchObject({ source: 'resume' })
    // The first boot ended gracefully: the app got SIGTERM and the monitor's last word was "stopped".
    const first = all.filter((r) => r.boot === firstBoot)
    expect(first.at(-1)).toMatchObject({ type: 'state', to: 'stopped' })
    expect(ofType(first, 'log').some((l) => l.line.includes('app got SIGTERM'))).toBe(true)
  })

  it('ends gracefully on `docker stop`: exit 0, the app stopped by SIGTERM, "stopped" last', async () => {
    await container.stop({ t: 15 })
    const info = await container.inspect()
    expect(info.State.ExitCode).toBe(0)
    const { records: all } = await records(container)
    const last = all.filter((r) => r.boot === boots(all)[1])
    expect(last.at(-1)).toMatchObject({ type: 'state', to: 'stopped' })
    expect(ofType(last, 'log').some((l) => l.line.includes('app got SIGTERM'))).toBe(true)
  })
})

describe('the host reading a container log', () => {
  it('refuses a record with an unknown protocol version', async () => {
    const line = JSON.stringify({ v: 99, boot: 'ffffffffffffffff', seq: 0, ts: new Date().toISOString(), type: 'state', from: null, to: 'idle', reason: 'x' })
    const container = await createMonitored('foreign', { Entrypoint: ['node', '-e', `console.log(${JSON.stringify(line)})`] })
    await container.start()
    await container.wait()
    const { records: found, problems } = await records(container)
    expect(found).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ reason: 'version', message: expect.stringMatching(/unsupported monitor record version 99/) })
  })
})
