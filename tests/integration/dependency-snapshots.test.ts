import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'node:http'
import { eq } from 'drizzle-orm'
import { Readable } from 'node:stream'
import type Dockerode from 'dockerode'
import { pack } from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateProgress, Workspace } from '../../src-main/core/contract'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { dependencySnapshots } from '../../src-main/core/store/schema'
import { execInContainer } from '../../src-main/core/workspaces/container-exec'
import { DependencySnapshots } from '../../src-main/core/workspaces/dependency-snapshots'
import { teeTemplateArchive } from '../../src-main/core/workspaces/install-inputs'
import { testBaseImage } from '../support/core-image'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { tempSandlotHome } from '../support/run-cli'

// Two small packages from the registry, pinned with their integrity: `npm ci` installs exactly these.
const lockfile = (packages: Record<string, [string, string]>) =>
  JSON.stringify({
    name: 'snap',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'snap', version: '1.0.0', dependencies: Object.fromEntries(Object.entries(packages).map(([n, [v]]) => [n, v])) },
      ...Object.fromEntries(
        Object.entries(packages).map(([name, [version, integrity]]) => [
          `node_modules/${name}`,
          { version, resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`, integrity, license: 'MIT' }
        ])
      )
    }
  })
const IS_NUMBER: [string, string] = ['7.0.0', 'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==']
const MS: [string, string] = ['2.1.3', 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==']

const run = randomBytes(3).toString('hex')
let core: SandlotCore
let docker: Dockerode
const problems: string[] = []

function tarOf(files: Record<string, string>): NodeJS.ReadableStream {
  const archive = pack()
  // A fixed mtime, as a template's files have: the same files make the same archive.
  for (const [name, content] of Object.entries(files)) archive.entry({ name, mode: 0o644, uid: 1000, gid: 1000, mtime: new Date(0) }, content)
  archive.finalize()
  return Readable.from(archive, { objectMode: false })
}

async function digestOf(make: () => Promise<NodeJS.ReadableStream>): Promise<string> {
  const tee = teeTemplateArchive(await make())
  tee.archive.resume()
  return tee.digest
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve(body))
    })
      .on('error', reject)
      .end()
  })
}

async function sh(ws: Workspace, script: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return execInContainer(docker.getContainer(ws.containerId), ['bash', '-c', script])
}

async function create(name: string): Promise<{ ws: Workspace; install: string[] }> {
  const install: string[] = []
  const requestIds = new Set<string | undefined>()
  const requestId = `req-${randomBytes(6).toString('hex')}`
  const unsubscribe = core.api.subscribe('workspaces.progress', (p: CreateProgress) => {
    if (p.workspace !== name) return
    requestIds.add(p.requestId)
    if (p.phase === 'install') install.push(p.message)
  })
  try {
    const ws = await core.api.call('workspaces.create', { template: 'snap', name, requestId })
    // Every progress event of this call says which call it belongs to.
    expect([...requestIds]).toEqual([requestId])
    return { ws, install }
  } finally {
    unsubscribe()
  }
}

beforeAll(async () => {
  const home = tempSandlotHome()
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 1 } }))
  core = openSandlotCore({ home, onBackgroundProblem: (message) => problems.push(message) })
  docker = core.engine.connection.docker
  await core.api.call('image.build', {})
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-snap-'))
  writeFileSync(
    join(dir, 'template.json'),
    JSON.stringify({ id: 'snap', name: 'Snap', install: 'npm ci', start: 'node server.js', port: 3000, readyPattern: '^listening' })
  )
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'snap', version: '1.0.0', private: true, dependencies: { 'is-number': IS_NUMBER[0], ms: MS[0] } }))
  writeFileSync(join(dir, 'package-lock.json'), lockfile({ 'is-number': IS_NUMBER, ms: MS }))
  writeFileSync(
    join(dir, 'server.js'),
    `const ms = require('ms'); require('http').createServer((q, s) => s.end(String(ms('2 days')))).listen(3000, () => console.log('listening'))`
  )
  await core.api.call('templates.add', { folder: dir })
})

afterAll(async () => {
  await core.snapshots.idle()
  await removeInstanceObjects(docker, core.instanceId)
  core.close()
})

describe('dependency snapshots on a real engine', () => {
  let first: Workspace
  let key: string

  it('installs the first workspace itself, then keeps a read-only snapshot made apart from it', async () => {
    const made = await create(`snap-a-${run}`)
    first = made.ws
    expect(made.install[0]).toBe('Installing dependencies: npm ci')
    expect(await get(first.previewUrl!)).toBe('172800000')
    // What the workspace does to its own node_modules after its install never reaches the snapshot: the
    // snapshot is installed again from the template's inputs by a container of its own.
    expect((await sh(first, 'echo "module.exports = () => \\"poisoned\\"" > node_modules/ms/index.js')).exitCode).toBe(0)
    expect(core.snapshots.pending).toBe(1)
    await core.snapshots.idle()
    expect(problems).toEqual([])
    const rows = core.database.db.select().from(dependencySnapshots).all()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ templateId: 'snap' })
    expect(rows[0]!.bytes).toBeGreaterThan(0)
    key = rows[0]!.key
    const listing = await sh(first, `stat -c '%U %a' /opt/sandlot/deps/${key}/node_modules/ms/index.js; touch /opt/sandlot/deps/${key}/x`)
    expect(listing.stdout.trim()).toBe('root 644')
    expect(listing.stderr).toMatch(/Read-only file system/)
    // The builder and writer containers are gone.
    const helpers = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${core.instanceId}`, 'dev.sandlot.role=deps'] } })
    expect(helpers).toEqual([])
  })

  it('gives the next workspace of the same lockfile a private, writable copy instead of an install', async () => {
    const { ws, install } = await create(`snap-b-${run}`)
    expect(install).toEqual(['Copying the dependencies kept from an earlier install of the same lockfile: nothing to download', 'Dependencies copied'])
    expect(await get(ws.previewUrl!)).toBe('172800000')
    const check = await sh(ws, 'stat -c %U node_modules/ms/index.js && grep -c poisoned node_modules/ms/index.js; touch node_modules/ms/mine && echo writable')
    expect(check.stdout.split('\n').filter(Boolean)).toEqual(['node', '0', 'writable'])
    const [row] = core.database.db.select().from(dependencySnapshots).all()
    expect(row!.usedAt > row!.createdAt).toBe(true)
  })

  it('falls back to installing when a snapshot cannot be copied, and leaves nothing half-copied', async () => {
    const seen: string[] = []
    const snapshots = new DependencySnapshots({ db: core.database.db, instanceId: core.instanceId, engine: (w) => core.engine.use(w), onProblem: (m) => seen.push(m) })
    const missing = 'f'.repeat(32)
    const now = new Date().toISOString()
    core.database.db.insert(dependencySnapshots).values({ key: missing, templateId: 'snap', imageTag: 'x', bytes: 1, createdAt: now, usedAt: now }).run()
    try {
      expect(await snapshots.restore(docker.getContainer(first.containerId), missing)).toBe(false)
      expect(seen.join('\n')).toMatch(/installing instead/)
      expect((await sh(first, 'ls node_modules')).exitCode).not.toBe(0)
      // Forgotten, so the next install keeps a good one again.
      expect(snapshots.has(missing)).toBe(false)
    } finally {
      core.database.db.delete(dependencySnapshots).where(eq(dependencySnapshots.key, missing)).run()
    }
  })

  it('keeps the most recently used snapshots and removes the others, whatever modes an install left', async () => {
    const seen: string[] = []
    const snapshots = new DependencySnapshots({ db: core.database.db, instanceId: core.instanceId, engine: (w) => core.engine.use(w), keep: 1, onProblem: (m) => seen.push(m) })
    const imageTag = (await core.image.status()).tag
    const files = { 'package.json': JSON.stringify({ name: 'snap', version: '1.0.0', dependencies: { ms: MS[0] } }), 'package-lock.json': lockfile({ ms: MS }) }
    const pack = async () => tarOf(files)
    const digest = await digestOf(pack)
    const env = { CI: 'true', npm_config_cache: '/home/node/.npm-shared' }
    // An install that leaves a folder nobody may write to and a setuid file: the writer must still be able to
    // prune it, and must not keep the setuid bit.
    const awkward = 'npm ci && mkdir -p node_modules/ro/d && touch node_modules/ro/d/f && chmod 555 node_modules/ro/d && chmod u+s node_modules/ms/index.js'
    const [b, a] = ['b'.repeat(32), 'a'.repeat(32)]
    await snapshots.capture({ key: b, templateId: 'awkward', imageTag, install: awkward, env, pack, digest })
    expect(seen).toEqual([])
    expect(core.database.db.select({ key: dependencySnapshots.key }).from(dependencySnapshots).all()).toEqual([{ key: b }])
    const modes = await sh(first, `stat -c '%a %U' /opt/sandlot/deps/${b}/node_modules/ms/index.js /opt/sandlot/deps/${b}/node_modules/ro/d`)
    expect(modes.stdout.trim().split('\n')).toEqual(['644 root', '755 root'])

    await snapshots.capture({ key: a, templateId: 'ms-only', imageTag, install: 'npm ci', env, pack, digest })
    expect(seen).toEqual([])
    expect(core.database.db.select({ key: dependencySnapshots.key }).from(dependencySnapshots).all()).toEqual([{ key: a }])
    const dirs = await sh(first, 'ls -A /opt/sandlot/deps')
    expect(dirs.stdout.trim().split('\n')).toEqual([a])
  })

  it('refuses to keep a snapshot of a template that changed since the workspace got it', async () => {
    const seen: string[] = []
    const snapshots = new DependencySnapshots({ db: core.database.db, instanceId: core.instanceId, engine: (w) => core.engine.use(w), onProblem: (m) => seen.push(m) })
    const files = { 'package.json': JSON.stringify({ name: 'snap', version: '1.0.0' }), 'package-lock.json': lockfile({}) }
    const request = { key: 'c'.repeat(32), templateId: 'edited', imageTag: (await core.image.status()).tag, install: 'npm ci', env: {}, digest: 'f'.repeat(64) }
    await snapshots.capture({ ...request, pack: async () => tarOf(files) })
    expect(snapshots.has(request.key)).toBe(false)
    expect(seen.join('\n')).toMatch(/template changed/)
    const leftovers = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${core.instanceId}`, 'dev.sandlot.role=deps'] } })
    expect(leftovers).toEqual([])
    expect((await docker.listVolumes({ filters: { label: [`dev.sandlot.instance=${core.instanceId}`, 'dev.sandlot.role=deps'] } })).Volumes).toEqual([])
  })

  it('shares npm content between workspaces, but not npm\'s index or anything else of ~/.npm', async () => {
    const [ws] = (await core.api.call('workspaces.list', {})).filter((w) => w.name !== first.name)
    const plant = await sh(first, 'mkdir -p ~/.npm-shared/_cacache/index-v5/zz && echo forged > ~/.npm-shared/_cacache/index-v5/zz/entry && echo x > ~/.npm/planted && ls ~/.npm-shared/_cacache/content-v2 | head -1')
    expect(plant.exitCode).toBe(0)
    const look = await sh(ws!, 'ls ~/.npm-shared/_cacache/index-v5/zz ~/.npm/planted 2>&1; ls ~/.npm-shared/_cacache/content-v2 | head -1')
    expect(look.stdout).toMatch(/index-v5\/zz': No such file/)
    expect(look.stdout).toMatch(/planted': No such file/)
    // The blobs the first install fetched are there for the second.
    expect(look.stdout.trim().split('\n').pop()).toBe(plant.stdout.trim())
  })
})
