import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateProgress } from '../../src-main/core/contract'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { httpGet } from '../support/http'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { waitFor } from '../support/wait'
import { execInContainer } from '../../src-main/core/workspaces/container-exec'
import { modulesVolumeName } from '../../src-main/core/workspaces/host-mount'
import { setTimeout as sleep } from 'node:timers/promises'
import { tempSandlotHome } from '../support/run-cli'
import { fastIdleStopper } from '../support/idle-stopper'

// A user's own project on the real engine: a port nobody declared, a restart policy from template.json.
let core: SandlotCore
let docker: Dockerode
let root: string
// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const id = Math.random().toString(16).slice(2, 8)
/** The editor commands started (a recording launcher: no VS Code here). */
const editorStarts: Array<readonly string[]> = []

beforeAll(async () => {
  const home = tempSandlotHome()
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 0 } }))
  core = openSandlotCore({ home, editorLauncher: { output: async () => ({ exitCode: 0, stdout: '' }), start: async (_command, args) => void editorStarts.push(args) } })
  docker = core.engine.connection.docker
  await core.api.call('image.build', { base: testBaseImage() })
  root = mkdtempSync(join(tmpdir(), 'sandlot-own-code-it-'))
})

afterAll(async () => {
  await removeInstanceObjects(docker, core.instanceId)
  core.close()
  rmSync(root, { recursive: true, force: true })
})

/** A folder of files (name → content). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'project-'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), content)
  }
  return dir
}

async function create(params: Record<string, unknown>): Promise<{ workspace: Awaited<ReturnType<SandlotCore['workspaces']['get']>>; progress: string[] }> {
  const progress: string[] = []
  const workspace = await core.workspaces.create(params as never, (p: CreateProgress) => progress.push(p.message))
  return { workspace, progress }
}

/** An app that fails its first `failures` runs (counted in a file), then serves. */
const flaky = (failures: number): string =>
  `const fs = require('fs'); const n = (fs.existsSync('runs') ? Number(fs.readFileSync('runs', 'utf8')) : 0) + 1; fs.writeFileSync('runs', String(n));\n` +
  `if (n <= ${failures}) { console.error('run ' + n + ' fails'); process.exit(3) }\n` +
  `require('http').createServer((q, s) => s.end('run ' + n)).listen(Number(process.env.PORT))\n`

describe('bring your own code, on the real engine', () => {
  it('finds the port of an app that declares none (Express generator style, `node ./bin/www` on 3000) and forwards the preview to it', async () => {
    const folder = project({
      'package.json': JSON.stringify({ name: `www-${id}`, private: true, scripts: { dev: 'node ./bin/www' } }),
      // Silent, like express-generator's bin/www: nothing in its output says it listens.
      'bin/www': "require('http').createServer((q, s) => s.end('express-like')).listen(process.env.PORT || 3000)\n"
    })
    const { workspace, progress } = await create({ folder, name: `www-${id}` })
    expect(workspace.status).toBe('ready')
    expect(progress).toContain('The template names no port: found the app listening on port 3000, the preview forwards to it')
    expect(await httpGet(workspace.previewUrl!)).toMatchObject({ status: 200, body: 'express-like' })
    const status = (await core.workspaces.process(`www-${id}`, 'status')) as { appPort: unknown; state: string }
    expect(status).toMatchObject({ state: 'ready', appPort: { port: 3000, source: 'found' } })
    await core.history.catchUp(`www-${id}`)
    expect(core.history.events({ workspace: `www-${id}` }).filter((e) => e.kind === 'port').map((e) => e.summary)).toEqual([
      'found the app listening on port 3000 (the spec names none); the preview forwards to it'
    ])
  })

  it("obeys the template's restart policy: never gives up at the first crash, on-failure restarts up to maxRestarts", async () => {
    const manifest = (restart: Record<string, unknown>, name: string) =>
      JSON.stringify({ id: name, name, start: 'node app.js', port: 4300, readyPattern: 'never printed', restart })
    const never = project({ 'template.json': manifest({ policy: 'never' }, `never-${id}`), 'app.js': flaky(1) })
    await expect(create({ folder: never, name: `never-${id}` })).rejects.toMatchObject({
      code: 'APP_FAILED',
      message: 'The app did not start: exited with code 3; restart policy is "never".'
    })
    const budget = project({ 'template.json': manifest({ policy: 'on-failure', maxRestarts: 1, backoffMs: 50 }, `budget-${id}`), 'app.js': flaky(2) })
    await expect(create({ folder: budget, name: `budget-${id}` })).rejects.toMatchObject({
      code: 'APP_FAILED',
      message: 'The app did not start: gave up after 1 restart within 60s: exited with code 3.'
    })
    const enough = project({ 'template.json': manifest({ maxRestarts: 3, backoffMs: 50, backoffFactor: 1 }, `enough-${id}`), 'app.js': flaky(2) })
    const { workspace } = await create({ folder: enough, name: `enough-${id}` })
    expect(await httpGet(workspace.previewUrl!)).toMatchObject({ status: 200, body: 'run 3' })
    const status = (await core.workspaces.process(`enough-${id}`, 'status')) as { restarts: { total: number }; spec: { restart: Record<string, unknown> } }
    expect(status.restarts.total).toBe(2)
    expect(status.spec.restart).toMatchObject({ policy: 'on-failure', maxRestarts: 3, initialDelayMs: 50, factor: 1 })
  })

  it('mounts a host folder at /app with --mount: edits on either side are the same files, node_modules stays in its volume', async () => {
    const folder = project({
      'template.json': JSON.stringify({ id: `mounted-${id}`, name: 'Mounted', install: 'npm install --no-audit --no-fund', start: 'node server.js', port: 4400 }),
      'package.json': JSON.stringify({ name: `mounted-${id}`, private: true, dependencies: { 'local-dep': 'file:./dep' } }),
      'dep/package.json': JSON.stringify({ name: 'local-dep', version: '1.0.0' }),
      'dep/index.js': "module.exports = 'dep'\n",
      // Reads the file at each request, as a dev server serves what is on disk now.
      'server.js': "const fs = require('fs'); require('http').createServer((q, s) => s.end(fs.readFileSync('message.txt', 'utf8') + ' ' + require('local-dep'))).listen(4400)\n",
      'message.txt': 'first'
    })
    // The container's user is node (uid 1000), as the user's own files are on a usual Linux desktop.
    for (const path of [folder, ...readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((p) => join(folder, p))]) chownSync(path, 1000, 1000)
    const name = `mounted-${id}`
    const { workspace, progress } = await create({ folder, mount: true, name })
    expect(progress).toContain(`${folder} is mounted at /app: edits on either side are the same files`)
    const info = await docker.getContainer(workspace.containerId).inspect()
    expect(info.Mounts.map((m) => [m.Type, m.Destination, m.Type === 'bind' ? m.Source : m.Name])).toEqual(
      expect.arrayContaining([
        ['bind', '/app', folder],
        ['volume', '/app/node_modules', modulesVolumeName(core.instanceId, name)]
      ])
    )
    expect(await httpGet(workspace.previewUrl!)).toMatchObject({ status: 200, body: 'first dep' })
    // Host → container: the running app serves the new content.
    writeFileSync(join(folder, 'message.txt'), 'edited on the host')
    await waitFor('the app to serve the host edit', async () => ((await httpGet(workspace.previewUrl!)).body === 'edited on the host dep' ? true : undefined), 30_000)
    // Container → host.
    const wrote = await execInContainer(docker.getContainer(workspace.containerId), ['sh', '-c', 'echo written in the container > /app/out.txt'])
    expect(wrote.exitCode).toBe(0)
    expect(readFileSync(join(folder, 'out.txt'), 'utf8')).toBe('written in the container\n')
    // The install went into the volume: the host's node_modules is only its empty mount point.
    expect(readdirSync(join(folder, 'node_modules'))).toEqual([])
    // Open in editor opens the host folder itself, not the container.
    await expect(core.api.call('workspaces.openEditor', { name })).resolves.toMatchObject({ opened: 'folder', folder })
    expect(editorStarts).toEqual([[folder]])
    await core.workspaces.remove(name, { force: true })
    expect(existsSync(join(folder, 'out.txt'))).toBe(true)
    expect(await docker.getVolume(modulesVolumeName(core.instanceId, name)).inspect().then(() => 'kept', () => 'removed')).toBe('removed')
  })

  it('refuses a create or start beyond workspaces.maxRunning, naming what runs, and makes nothing', async () => {
    const shell = project({ 'template.json': JSON.stringify({ id: `shell-${id}`, name: 'Shell' }) })
    // Two at least, whatever ran before this test: the message counts in the plural.
    await create({ folder: shell, name: `cap-a-${id}` })
    await create({ folder: shell, name: `cap-c-${id}` })
    const running = async (): Promise<string[]> => (await core.workspaces.list()).filter((w) => w.container === 'running').map((w) => w.name).sort()
    const before = await running()
    expect(before).toContain(`cap-a-${id}`)
    await core.api.call('settings.update', { workspaces: { maxRunning: before.length } })
    try {
      const refusal = {
        code: 'CONFLICT',
        message: `${before.length} workspaces run already, the most workspaces.maxRunning allows (${before.length}): ${before.join(', ')}.`
      }
      await expect(create({ folder: shell, name: `cap-b-${id}` })).rejects.toMatchObject(refusal)
      expect((await core.workspaces.list()).map((w) => w.name)).not.toContain(`cap-b-${id}`)
      expect(await docker.getContainer(`sandlot-cap-b-${id}`).inspect().then(() => 'made', () => 'none')).toBe('none')
      // Room again once one stops; then the stopped one cannot start.
      await core.workspaces.stop(`cap-a-${id}`)
      await create({ folder: shell, name: `cap-b-${id}` })
      const now = await running()
      await expect(core.workspaces.start(`cap-a-${id}`)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: `${now.length} workspaces run already, the most workspaces.maxRunning allows (${before.length}): ${now.join(', ')}.`
      })
      expect((await core.workspaces.get(`cap-a-${id}`)).container).toBe('exited')
    } finally {
      await core.api.call('settings.update', { workspaces: { maxRunning: 0 } })
    }
  })

  it('stops a workspace idle for its own configured time (its preview in use keeps it running), records it, and starts it again', async () => {
    const folder = project({
      'template.json': JSON.stringify({ id: `idle-${id}`, name: 'Idle', start: 'node app.js', port: 4500 }),
      'app.js': "require('http').createServer((q, s) => s.end('awake')).listen(4500)\n"
    })
    const name = `idle-${id}`
    // Its own idle stop, given at create, stored and shown with it.
    const { workspace } = await create({ folder, name, idleStopMinutes: 4 })
    expect(workspace.idleStopMinutes).toBe(4)
    // Minutes of a second each, so its 4 minutes pass in 4 s.
    const minuteMs = 1000
    const idleMs = 4 * minuteMs
    // The setting is off: only the workspace's own time stops it.
    const stopper = await fastIdleStopper(core, name, { minuteMs, settingMinutes: 0 })
    try {
      // A preview request every second for longer than the idle time: never idle.
      const until = Date.now() + idleMs + 2000
      while (Date.now() < until) {
        expect((await httpGet(workspace.previewUrl!)).body).toBe('awake')
        expect(await stopper.check()).toEqual([])
        await sleep(1000)
      }
      // Left alone, it is stopped.
      await waitFor('the idle stop', async () => ((await stopper.check()).includes(name) ? true : undefined), 60_000)
      expect((await core.workspaces.get(name)).container).toBe('exited')
      const entries = core.history.events({ workspace: name }).filter((e) => e.kind === 'idle-stop')
      expect(entries.map((e) => e.summary)).toEqual(['stopped after 0.1 min idle (no terminal attached, no preview request, no exec); the next start resumes it'])
      // The next open starts it again, app and all.
      const started = await core.workspaces.start(name)
      expect(await httpGet(started.previewUrl!)).toMatchObject({ status: 200, body: 'awake' })
    } finally {
      stopper.stop()
    }
  })
})
