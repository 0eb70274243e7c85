import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateProgress } from '../../src-main/core/contract'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { execInContainer } from '../../src-main/core/workspaces/container-exec'
import { testBaseImage } from '../support/core-image'
import { makeAppRepository, startGitDaemon } from '../support/git-repos'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { tempSandlotHome } from '../support/run-cli'

// Workspaces from a git repository (served by `git daemon` on loopback) and from a host folder, with overrides.
let core: SandlotCore
let docker: Dockerode
let root: string
let daemon: Awaited<ReturnType<typeof startGitDaemon>>
// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const id = Math.random().toString(16).slice(2, 8)

beforeAll(async () => {
  const home = tempSandlotHome()
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 0 } }))
  core = openSandlotCore({ home })
  docker = core.engine.connection.docker
  await core.api.call('image.build', { base: testBaseImage() })
  root = mkdtempSync(join(tmpdir(), 'sandlot-sources-it-'))
  makeAppRepository(join(root, 'served'), 'app')
  daemon = await startGitDaemon(join(root, 'served'))
})

afterAll(async () => {
  daemon?.stop()
  await core.snapshots.idle()
  await removeInstanceObjects(docker, core.instanceId)
  core.close()
  rmSync(root, { recursive: true, force: true })
})

async function create(params: Record<string, unknown>): Promise<{ workspace: Awaited<ReturnType<SandlotCore['workspaces']['get']>>; progress: string[] }> {
  const progress: string[] = []
  const workspace = await core.workspaces.create(params as never, (p: CreateProgress) => progress.push(p.message))
  return { workspace, progress }
}

async function body(url: string): Promise<string> {
  return (await fetch(url)).text()
}

async function instanceContainers(): Promise<number> {
  return (await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${core.instanceId}`] } })).length
}

describe('workspaces from a repository and a folder, on the real engine', () => {
  it('clones a branch into /app with .git, env and limits overridden, PORT given; the second workspace fetches from the cache', async () => {
    const { workspace, progress } = await create({
      git: { url: daemon.url('app'), branch: 'feature' },
      name: `git-${id}`,
      env: { GREETING: 'hi' },
      limits: { memoryMb: 512, cpus: 1 }
    })
    expect(workspace.status).toBe('ready')
    expect(progress).toContain(`Cloning ${daemon.url('app')} into the cache`)
    expect(await body(workspace.previewUrl!)).toBe('feature hi PORT=4100')

    const info = await docker.getContainer(workspace.containerId).inspect()
    expect(info.HostConfig.Memory).toBe(512 * 1024 * 1024)
    expect(info.HostConfig.NanoCpus).toBe(1e9)
    const container = docker.getContainer(workspace.containerId)
    const git = await execInContainer(container, ['sh', '-c', 'git -C /app branch --show-current && git -C /app remote get-url origin && git -C /app status --porcelain'], { user: 'node' })
    expect(git.stdout).toBe(`feature\n${daemon.url('app')}\n`)

    const second = await create({ git: { url: daemon.url('app') }, name: `git2-${id}` })
    expect(second.progress).toContain(`Fetching ${daemon.url('app')} into the cache`)
    expect(second.progress.some((m) => m.startsWith('Cloning'))).toBe(false)
    expect(await body(second.workspace.previewUrl!)).toBe('main  PORT=4100')
  })

  it('refuses a wrong URL and a wrong branch with their own messages, leaving nothing on the engine or in the list', async () => {
    const containers = await instanceContainers()
    const workspaces = (await core.workspaces.list()).length
    await expect(create({ git: { url: daemon.url('nope') }, name: `nope-${id}` })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^There is no repository at/) })
    await expect(create({ git: { url: daemon.url('app'), branch: 'nope' }, name: `nope-${id}` })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `${daemon.url('app')} has no branch or tag named "nope".`
    })
    expect(await instanceContainers()).toBe(containers)
    expect((await core.workspaces.list()).length).toBe(workspaces)
  })

  it('creates from a host folder without copying it into the templates, with the start command and port given at create', async () => {
    const folder = mkdtempSync(join(root, 'folder-'))
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: `folder-app-${id}`, private: true }))
    writeFileSync(join(folder, 'app.js'), "require('http').createServer((q, s) => s.end('folder ' + process.env.PORT)).listen(Number(process.env.PORT))\n")
    const { workspace } = await create({ folder, name: `folder-${id}`, start: 'node app.js', port: 4200 })
    expect(workspace.status).toBe('ready')
    expect(workspace.templateId).toBe(`folder-app-${id}`)
    expect(await body(workspace.previewUrl!)).toBe('folder 4200')
    expect((await core.api.call('templates.list', {})).map((t) => t.id)).not.toContain(`folder-app-${id}`)
  })
})
