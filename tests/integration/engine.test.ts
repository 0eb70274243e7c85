import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineEndpoint, EngineEvent } from '../../src-main/core/contract'
import { EngineConnection, followEngineEvents, resolveEngineEndpoint } from '../../src-main/core/engine'
import { importEmptyImage } from '../support/second-engine'

const instance = `test-${randomBytes(4).toString('hex')}`
const labels = { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': instance }
const image = `sandlot-test/empty:${instance}`
const endpoint = resolveEngineEndpoint({ env: process.env, platform: process.platform, homedir: os.homedir() })
const connection = new EngineConnection(endpoint)

async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

beforeAll(async () => {
  await importEmptyImage(connection.docker, image, labels)
})

afterAll(async () => {
  const containers = await connection.docker.listContainers({
    all: true,
    filters: { label: [`dev.sandlot.instance=${instance}`] }
  })
  await Promise.all(containers.map((info) => connection.docker.getContainer(info.Id).remove({ force: true })))
  await connection.docker.getImage(image).remove({ force: true })
  connection.close()
})

describe('the main engine', () => {
  it('is connected, with the server version the docker CLI reports', async () => {
    const { stdout } = await promisify(execFile)('docker', ['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'])
    const [serverVersion, apiVersion] = stdout.trim().split(' ')
    expect(await connection.check()).toMatchObject({ state: 'connected', endpoint, server: { serverVersion, apiVersion } })
  })

  it('reports connected when watched, and delivers the events of a container this test creates', async () => {
    connection.watch()
    await waitFor('connected', () => connection.status.state === 'connected')
    const events: EngineEvent[] = []
    const filters = { label: [`dev.sandlot.instance=${instance}`] }
    const subscription = followEngineEvents(connection, { filters }, (event) => events.push(event))
    try {
      await subscription.opened
      // The image has no files: the container is only created, never started.
      const container = await connection.docker.createContainer({
        Image: image,
        Cmd: ['/none'],
        Labels: labels,
        HostConfig: { NetworkMode: 'none' }
      })
      await waitFor('the create event', () => events.some((event) => event.id === container.id))
      await container.remove()
      await waitFor('the destroy event', () => events.some((event) => event.action === 'destroy'))
      expect(events.map((event) => [event.id, event.action])).toEqual([
        [container.id, 'create'],
        [container.id, 'destroy']
      ])
      expect(events[0]).toMatchObject({ type: 'container', attributes: { 'dev.sandlot.instance': instance, image } })
    } finally {
      subscription.close()
    }
  })

  it('is reported unreachable, with what to do, at a socket where no engine listens', async () => {
    const missing: EngineEndpoint = { kind: 'unix', url: `unix:///tmp/sl-missing-${instance}.sock`, source: 'default' }
    const absent = new EngineConnection(missing)
    try {
      expect(await absent.check()).toMatchObject({
        state: 'unreachable',
        message: `Docker engine not reachable at ${missing.url} (connect ENOENT)`,
        hint: 'Docker engine not reachable: start Docker Desktop or dockerd',
        attempt: 0
      })
    } finally {
      absent.close()
    }
  })

  it('lets a process exit once the connection and its event subscription are closed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sandlot-exit-'))
    try {
      const script = await bundleChild(dir, `
        const { EngineConnection, followEngineEvents, resolveEngineEndpoint } = require(${JSON.stringify(engineModule)})
        const os = require('node:os')
        void (async () => {
          const endpoint = resolveEngineEndpoint({ env: process.env, platform: process.platform, homedir: os.homedir() })
          const connection = new EngineConnection(endpoint)
          const connected = new Promise((resolve) => connection.onStatus((s) => s.state === 'connected' && resolve()))
          connection.watch()
          await connected
          const subscription = followEngineEvents(connection, { filters: { type: ['container'] } }, () => {})
          await subscription.opened
          subscription.close()
          connection.close()
          console.log('closed')
        })()
      `)
      const { code, stdout } = await runUntilExit(script, 60_000)
      expect(stdout.trim()).toBe('closed')
      expect(code).toBe(0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

const engineModule = path.resolve(import.meta.dirname, '../../src-main/core/engine/index.ts')

/** Bundles a child script with the engine module; packages stay external and resolve from this checkout. */
async function bundleChild(dir: string, contents: string): Promise<string> {
  const outfile = path.join(dir, 'child.cjs')
  await build({
    stdin: { contents, resolveDir: dir, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    outfile,
    logLevel: 'silent'
  })
  return outfile
}

/** Runs node on a script; a child still alive at the deadline means something kept its event loop busy. */
function runUntilExit(script: string, deadlineMs: number): Promise<{ code: number | null; stdout: string }> {
  const nodeModules = path.resolve(import.meta.dirname, '../../node_modules')
  const child = spawn(process.execPath, [script], { env: { ...process.env, NODE_PATH: nodeModules } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the process did not exit after close() (stdout: ${stdout}, stderr: ${stderr})`))
    }, deadlineMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (code !== 0) reject(new Error(`the process failed (${code}): ${stderr}`))
      else resolve({ code, stdout })
    })
  })
}
