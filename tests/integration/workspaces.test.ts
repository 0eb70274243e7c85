import { createHash, randomBytes } from 'node:crypto'
import { Readable, Writable } from 'node:stream'
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import type Dockerode from 'dockerode'
import { pack } from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateProgress, TemplateManifest } from '../../src-main/core/contract'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { WorkspacePool } from '../../src-main/core/workspaces/workspace-pool'
import { instanceVolumeNames } from '../../src-main/core/workspaces/container-spec'
import { readSavedSettings } from '../../src-main/core/workspaces/workspace-archive'
import { ensureWorkspaceNetwork } from '../../src-main/core/workspaces/workspace-network'
import { poolContainers, workspaces } from '../../src-main/core/store/schema'
import { WorkspaceService, type WorkspaceDeps, type WorkspaceTemplate } from '../../src-main/core/workspaces/workspace-service'
import { tarOf, testBaseImage } from '../support/core-image'
import { httpGet } from '../support/http'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { tempSandlotHome } from '../support/run-cli'

// A template as the catalog hands it over: an HTTP app that listens on localhost only, with an install step.
const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'hello', version: '1.0.0', scripts: { dev: 'node server.js' } }),
  'server.js': `require('http').createServer((q, s) => s.end('hello from ' + process.env.GREETING)).listen(3000, '127.0.0.1', () => console.log('listening on 3000'))`
}
function template(manifest: Partial<TemplateManifest> = {}): WorkspaceTemplate {
  return {
    manifest: {
      id: 'hello',
      name: 'Hello',
      install: 'echo installing && touch /app/.installed',
      start: 'node server.js',
      port: 3000,
      env: { GREETING: 'sandlot' },
      limits: { memoryMb: 512 },
      ...manifest
    },
    async pack() {
      return tarOf(files)
    }
  }
}

/** stdout and stderr of an exec, as bytes (stderr apart, and merged with stdout in `text` for simple checks). */
function capture() {
  const out: Buffer[] = []
  const err: Buffer[] = []
  const sink = (chunks: Buffer[]) => new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) })
  return {
    streams: { stdout: sink(out), stderr: sink(err) },
    bytes: () => Buffer.concat(out),
    text: () => Buffer.concat(out).toString('utf8'),
    errText: () => Buffer.concat(err).toString('utf8')
  }
}

// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const run = randomBytes(3).toString('hex')
const [broken, restored, evil] = [`broken-${run}`, `restored-${run}`, `evil-${run}`]

let core: SandlotCore
let docker: Dockerode
let imageTag: string
let pool: WorkspacePool
let service: WorkspaceService

beforeAll(async () => {
  core = openSandlotCore({ home: tempSandlotHome() })
  docker = core.engine.connection.docker
  imageTag = (await core.api.call('image.build', { base: testBaseImage() })).tag
  const engine = <T>(work: (d: Dockerode) => Promise<T>) => core.engine.use(work)
  pool = new WorkspacePool({ db: core.database.db, instanceId: core.instanceId, engine, settings: () => ({ size: 1, maxConcurrentCreates: 1 }) })
  const templates: Record<string, WorkspaceTemplate> = {
    hello: template(),
    broken: template({ id: 'broken', name: 'Broken', install: 'echo "npm ERR! 404 not found: left-pad-nope" >&2; exit 1' }),
    slow: template({ id: 'slow', name: 'Slow', install: 'sleep 60' })
  }
  service = serviceWith({ template: async (id) => templates[id]!, appWait: { timeoutMs: 90_000 } })
})

/** A service on this file's core and pool, with some of its dependencies replaced. */
function serviceWith(deps: Partial<WorkspaceDeps>): WorkspaceService {
  return new WorkspaceService({
    db: core.database.db,
    pool,
    snapshots: core.snapshots,
    engine: (work) => core.engine.use(work),
    template: async () => template(),
    imageTag: async () => imageTag,
    ...deps
  })
}

afterAll(async () => {
  await core.snapshots.idle()
  await removeInstanceObjects(docker, core.instanceId)
  core.close()
})

describe('workspaces on a real engine', () => {
  it('fills the pool with started, hardened containers', async () => {
    const status = await pool.fill(imageTag)
    expect(status).toMatchObject({ target: 1, ready: 1, stale: 0, orphans: [] })
  })

  it('creates a workspace from the pool through every phase, with its preview answering on 127.0.0.1', async () => {
    const phases: CreateProgress['phase'][] = []
    const ws = await service.create({ template: 'hello', name: `hello-${randomBytes(2).toString('hex')}` }, (p) => phases.push(p.phase))
    expect([...new Set(phases)]).toEqual(['claim', 'inject', 'install', 'start', 'ready'])
    expect(ws).toMatchObject({ status: 'ready', phase: 'ready', container: 'running' })
    expect(ws.previewUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await httpGet(ws.previewUrl!)).toMatchObject({ status: 200, body: 'hello from sandlot' })
    expect((await pool.status(imageTag)).ready).toBe(0)

    const info = await docker.getContainer(ws.containerId).inspect()
    expect(info.Name).toBe(`/sandlot-${ws.name}`)
    // Its volumes carry the instance's labels, like every other object Sandlot makes.
    for (const volume of instanceVolumeNames(core.instanceId)) {
      expect((await docker.getVolume(volume).inspect()).Labels).toMatchObject({ 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': core.instanceId })
    }
    // The monitor's user, with three capabilities; the app and every exec run as node (monitor-trust.test.ts).
    expect(info.Config.User).toBe('root')
    expect(info.HostConfig.CapDrop).toEqual(['ALL'])
    expect(info.HostConfig.CapAdd).toEqual(['SETUID', 'SETGID', 'KILL'])
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges')
    expect(info.HostConfig.Memory).toBe(512 * 1024 * 1024)
    expect(info.HostConfig.PortBindings?.['4700/tcp']?.[0]?.HostIp).toBe('127.0.0.1')
    expect(info.Mounts.some((m) => m.Destination === '/var/run/docker.sock')).toBe(false)
  })

  it('runs commands as node in /app and passes their exit code through', async () => {
    const [ws] = await service.list()
    const run = capture()
    expect(await service.exec(ws!.name, ['bash', '-c', 'id -u; pwd; ls -a /app | grep installed'], run.streams)).toBe(0)
    expect(run.text()).toBe('1000\n/app\n.installed\n')
    expect(await service.exec(ws!.name, ['bash', '-c', 'exit 7'], capture().streams)).toBe(7)
  })

  it('passes output through byte for byte, binary and without a final newline, without keeping it', async () => {
    const [ws] = await service.list()
    const run = capture()
    expect(await service.exec(ws!.name, ['bash', '-c', 'head -c 300000 /dev/urandom > /tmp/r && sha256sum /tmp/r >&2 && cat /tmp/r'], run.streams)).toBe(0)
    const [expected] = run.errText().split(' ')
    expect(createHash('sha256').update(run.bytes()).digest('hex')).toBe(expected)
    const tail = capture()
    await service.exec(ws!.name, ['printf', 'no newline'], tail.streams)
    expect(tail.text()).toBe('no newline')
  })

  it('passes standard input to the command and closes it at the end (`exec -i`)', async () => {
    const [ws] = await service.list()
    const run = capture()
    const input = Readable.from([Buffer.from('line one\n'), Buffer.from([0, 255, 10])])
    expect(await service.exec(ws!.name, ['bash', '-c', 'wc -c; exit 3'], { ...run.streams, stdin: input })).toBe(3)
    expect(run.text().trim()).toBe('12')
  })

  it('stops and starts again, the app resuming under the monitor', async () => {
    const [ws] = await service.list()
    expect((await service.stop(ws!.name)).container).toBe('exited')
    const started = await service.start(ws!.name)
    expect(started.container).toBe('running')
    // Start returns once the monitor has the app ready again and the preview answers.
    expect(await httpGet(started.previewUrl!)).toMatchObject({ status: 200, body: 'hello from sandlot' })
    expect(await service.process(ws!.name, 'status')).toMatchObject({ state: 'ready' })
    // So does restart; an app the user stopped stays stopped, and start does not wait for it.
    expect(await httpGet((await service.restart(ws!.name)).previewUrl!)).toMatchObject({ status: 200, body: 'hello from sandlot' })
    await service.process(ws!.name, 'stop')
    await service.stop(ws!.name)
    await service.start(ws!.name)
    expect(await service.process(ws!.name, 'status')).toMatchObject({ state: 'stopped' })
    await service.process(ws!.name, 'start')
    const deadline = Date.now() + 60_000
    while ((await httpGet(started.previewUrl!).catch(() => ({ status: 0 }))).status !== 200) {
      if (Date.now() > deadline) throw new Error('the app did not come back after process start')
      await new Promise((r) => setTimeout(r, 100))
    }
  })

  it('keeps a failed install as a failed workspace that says what went wrong', async () => {
    await expect(service.create({ template: 'broken', name: broken })).rejects.toMatchObject({
      code: 'INSTALL_FAILED',
      hint: expect.stringMatching(/left-pad-nope/)
    })
    expect(await service.get(broken)).toMatchObject({ status: 'failed', phase: 'install', error: { code: 'INSTALL_FAILED' } })
    // The failed workspace's container still runs, so its insides can be looked at; removing it needs no force.
    expect((await service.get(broken)).container).toBe('running')
    await service.remove(broken)
    await expect(service.get(broken)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('says a create was cut short by a remove from elsewhere, not what broke because of it', async () => {
    const name = `gone-${run}`
    let installing: () => void = () => {}
    const reached = new Promise<void>((resolve) => (installing = resolve))
    const creating = service.create({ template: 'slow', name }, (p) => p.phase === 'install' && installing())
    // Its rejection is looked at below, once the remove is done.
    creating.catch(() => undefined)
    await reached
    await expect(service.remove(name)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/still being created/) })
    await service.remove(name, { force: true })
    await expect(creating).rejects.toMatchObject({ code: 'INTERRUPTED', message: `${name} was stopped or removed by another command while it was being created.` })
    await expect(service.get(name)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('leaves nothing behind when removed while it waits for its container', async () => {
    const name = `early-${run}`
    // Its image is slow to come (a build), as on a first run: the remove comes before the container.
    const slow = serviceWith({ imageTag: async () => new Promise<string>((resolve) => setTimeout(() => resolve(imageTag), 1500)) })
    const creating = slow.create({ template: 'hello', name })
    creating.catch(() => undefined)
    await new Promise((r) => setTimeout(r, 300))
    expect(await service.get(name)).toMatchObject({ status: 'creating', phase: 'claim' })
    await service.remove(name, { force: true })
    await expect(creating).rejects.toMatchObject({ code: 'INTERRUPTED' })
    expect(await docker.listContainers({ all: true, filters: { name: [`sandlot-${name}`] } })).toEqual([])
    expect(core.database.db.select().from(poolContainers).all().filter((r) => r.claimedBy === name)).toEqual([])
  })

  it('refuses a second workspace with the same name', async () => {
    const [ws] = await service.list()
    await expect(service.create({ template: 'hello', name: ws!.name })).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('marks a create whose process ended midway as interrupted, with what to do', async () => {
    const name = `cut-${run}`
    const [ws] = await service.list()
    const now = new Date().toISOString()
    // As a create left it when its process died: no container of its own is needed to recognise it.
    const row = { name, templateId: 'hello', containerId: `gone-${run}`, status: 'creating', phase: 'install', createdAt: now, updatedAt: now }
    core.database.db.insert(workspaces).values({ ...row, creator: `${hostname()}:999999999` }).run()
    expect(await service.get(name)).toMatchObject({ status: 'failed', phase: 'install', error: { code: 'INTERRUPTED', hint: expect.stringContaining(`rm --force ${name}`) } })
    await service.remove(name, { force: true })
    // One cut short before it had a container says so, instead of blaming the engine.
    core.database.db.insert(workspaces).values({ ...row, containerId: `pending:${run}`, phase: 'claim', creator: `${hostname()}:999999999` }).run()
    expect(await service.get(name)).toMatchObject({ status: 'failed', container: 'none', error: { code: 'INTERRUPTED' } })
    await expect(service.exec(name, ['true'], capture().streams)).rejects.toMatchObject({ code: 'CONFLICT', message: `${name} has no container: its create ended before it got one.` })
    await service.remove(name)
    await expect(service.get(name)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // One whose creator is alive (this process) stays creating.
    core.database.db.insert(workspaces).values({ ...row, creator: `${hostname()}:${process.pid}` }).run()
    expect(await service.get(name)).toMatchObject({ status: 'creating' })
    await service.remove(name, { force: true })
    // Unless its heartbeat stopped minutes ago: the pid was reused by another process.
    const old = new Date(Date.now() - 5 * 60_000).toISOString()
    core.database.db.insert(workspaces).values({ ...row, updatedAt: old, creator: `${hostname()}:${process.pid}` }).run()
    expect(await service.get(name)).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } })
    await service.remove(name, { force: true })
    expect((await service.get(ws!.name)).status).toBe('ready')
  })

  it('keeps one workspace network when another process created a duplicate at the same moment', async () => {
    const name = `sandlot-net-${core.instanceId}`
    // The engine's duplicate check is racy; what a lost race leaves behind, made on purpose.
    await docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: false })
    expect((await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name)).toHaveLength(2)
    await ensureWorkspaceNetwork(docker, core.instanceId)
    const left = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name)
    expect(left).toHaveLength(1)
    // The one in use by the workspaces stays.
    const [ws] = await service.list()
    expect(Object.keys((await docker.getContainer(ws!.containerId).inspect()).NetworkSettings.Networks)).toEqual([name])
    expect((await docker.getNetwork(left[0]!.Id).inspect()).Containers).toHaveProperty(ws!.containerId)
  })

  it('is found again by a new core process on the same data folder', async () => {
    const again = openSandlotCore({ home: core.paths.root })
    try {
      const names = (await again.api.call('workspaces.list', {})).map((w) => w.name)
      expect(names).toEqual((await service.list()).map((w) => w.name))
      expect((await again.api.call('pool.status', {})).orphans).toEqual([])
    } finally {
      again.close()
    }
  })

  it('saves /app without node_modules and restores it as a new workspace that runs', async () => {
    const [ws] = await service.list()
    await service.exec(ws!.name, ['bash', '-c', 'mkdir -p node_modules/x && echo junk > node_modules/x/i.js && echo kept > notes.txt'], capture().streams)
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-save-')), 'saved.tar.gz')
    const saved = await service.save(ws!.name, file)
    expect(saved.files).toBeGreaterThanOrEqual(3)
    const ws2 = await service.restore(file, restored)
    expect(ws2).toMatchObject({ name: restored, status: 'ready', templateId: 'hello' })
    expect(await httpGet(ws2.previewUrl!)).toMatchObject({ status: 200, body: 'hello from sandlot' })
    const run = capture()
    await service.exec(restored, ['bash', '-c', 'cat notes.txt; ls node_modules 2>&1 | head -1; stat -c %u server.js'], run.streams)
    const lines = run.text().trim().split('\n')
    expect(lines[0]).toBe('kept')
    expect(lines[1]).toMatch(/No such file/)
    expect(lines[2]).toBe('1000')
  })

  it('saves with the run settings the workspace was made with, even when its template is gone', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-save-')), 'gone.tar.gz')
    const saved = await serviceWith({
      template: async (id) => {
        throw new Error(`template ${id} was removed`)
      }
    }).save(restored, file)
    expect(saved.files).toBeGreaterThan(0)
    expect((await readSavedSettings(file)).template).toMatchObject({ id: 'hello', start: 'node server.js', env: { GREETING: 'sandlot' } })
  })

  it('refuses an archive that escapes /app, and creates nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandlot-evil-'))
    const file = join(dir, 'evil.tar.gz')
    const tar = pack()
    tar.entry({ name: '.sandlot-workspace.json' }, JSON.stringify({ version: 1, template: { id: 'hello', name: 'Hello' } }))
    tar.entry({ name: '../../etc/evil' }, 'x')
    tar.finalize()
    await pipeline(tar as unknown as NodeJS.ReadableStream, createGzip(), createWriteStream(file))
    await expect(service.restore(file, evil)).rejects.toThrow(/\.\.\/\.\.\/etc\/evil|escape|outside/i)
    await expect(service.get(evil)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('keeps the pool filled in the background of a long-lived process, once the image is built', async () => {
    const home = tempSandlotHome()
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 1 } }))
    const problems: string[] = []
    const longLived = openSandlotCore({ home, onBackgroundProblem: (message) => problems.push(message) })
    try {
      longLived.startBackgroundWork()
      const deadline = Date.now() + 60_000
      while ((await longLived.api.call('pool.status', {})).ready < 1) {
        if (Date.now() > deadline) throw new Error(`the pool was not refilled; problems: ${problems.join('; ')}`)
        await new Promise((r) => setTimeout(r, 250))
      }
      expect(problems).toEqual([])
    } finally {
      const containers = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${longLived.instanceId}`] } })
      await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })))
      longLived.close()
    }
  })

  it('explains a stopped workspace instead of passing on the engine\'s refusal', async () => {
    const [ws] = await service.list()
    await service.stop(ws!.name)
    await expect(service.exec(ws!.name, ['true'], capture().streams)).rejects.toMatchObject({ code: 'CONFLICT', hint: expect.stringMatching(/sandlot start/) })
    await service.start(ws!.name)
  })

  it('never hands out a pool container that stopped (after an engine or host restart)', async () => {
    await pool.fill(imageTag)
    const [warm] = (await docker.listContainers({ filters: { label: [`dev.sandlot.instance=${core.instanceId}`, 'dev.sandlot.role=pool'] } })).map((c) => c.Id)
    await docker.getContainer(warm!).stop()
    const ws = await service.create({ template: 'hello', name: `after-restart-${run}` })
    expect(ws.containerId).not.toBe(warm)
    expect(ws.status).toBe('ready')
    await expect(docker.getContainer(warm!).inspect()).rejects.toMatchObject({ statusCode: 404 })
  })

  it('refuses to save what a restore would refuse, naming it, and writes nothing', async () => {
    const [ws] = await service.list()
    await service.exec(ws!.name, ['bash', '-c', 'ln package.json pkg-hard.json'], capture().streams)
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-save-')), 'x.tar.gz')
    await expect(service.save(ws!.name, file)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/pkg-hard\.json/) })
    expect(existsSync(file)).toBe(false)
    await service.exec(ws!.name, ['rm', 'pkg-hard.json'], capture().streams)
  })

  it('fails a save to a folder that does not exist with a clear error, and keeps running', async () => {
    const [ws] = await service.list()
    await service.exec(ws!.name, ['bash', '-c', 'head -c 20000000 /dev/urandom > big.bin'], capture().streams)
    await expect(service.save(ws!.name, '/nonexistent-folder/x.tar.gz')).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    expect((await service.get(ws!.name)).container).toBe('running')
    // A folder, or a file that exists, is refused before anything is written; replace overwrites.
    const dir = mkdtempSync(join(tmpdir(), 'sandlot-save-'))
    await expect(service.save(ws!.name, dir)).rejects.toMatchObject({ code: 'BAD_REQUEST', hint: expect.stringContaining(join(dir, `${ws!.name}.tar.gz`)) })
    writeFileSync(join(dir, 'kept.tar.gz'), 'precious')
    await expect(service.save(ws!.name, join(dir, 'kept.tar.gz'))).rejects.toMatchObject({ code: 'CONFLICT', hint: expect.stringContaining('--replace') })
    expect(readFileSync(join(dir, 'kept.tar.gz'), 'utf8')).toBe('precious')
    expect((await service.save(ws!.name, join(dir, 'kept.tar.gz'), { replace: true })).files).toBeGreaterThan(0)
  })

  it('keeps workspaces from reaching each other over the network, and keeps the preview port across restarts', async () => {
    const [a, b] = (await service.list()).filter((w) => w.container === 'running')
    const info = await docker.getContainer(a!.containerId).inspect()
    const ip = info.NetworkSettings.Networks[`sandlot-net-${core.instanceId}`]?.IPAddress
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    const probe = capture()
    await service.exec(b!.name, ['bash', '-c', `curl -s -m 3 -o /dev/null http://${ip}:4700/; echo "curl exit $?"`], probe.streams)
    expect(probe.text()).not.toMatch(/curl exit 0\b/)
    const before = a!.previewUrl
    await service.restart(a!.name)
    expect((await service.get(a!.name)).previewUrl).toBe(before)
  })
})
