import type Dockerode from 'dockerode'
import { pack } from 'tar-stream'
import { uploadToApp } from '../../src-main/core/workspaces/app-upload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSandlotCore, type SandlotCore } from '../../src-main/core/sandlot-core'
import { packTemplate, sanitizeArchive } from '../../src-main/core/templates/template-archive'
import { execInContainer } from '../../src-main/core/workspaces/container-exec'
import { testBaseImage } from '../support/core-image'
import { tempSandlotHome } from '../support/run-cli'

let core: SandlotCore
let docker: Dockerode
let tag: string

beforeAll(async () => {
  core = openSandlotCore({ home: tempSandlotHome() })
  docker = core.engine.connection.docker
  tag = (await core.api.call('image.build', { base: testBaseImage() })).tag
})

afterAll(async () => {
  const containers = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${core.instanceId}`] } })
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })))
  core.close()
})

/** A bare container of the core image with an empty /app owned by node, as a workspace starts. */
async function emptyWorkspace(): Promise<Dockerode.Container> {
  const container = await docker.createContainer({
    Image: tag,
    Entrypoint: ['sleep', 'infinity'],
    Labels: { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': core.instanceId, 'dev.sandlot.role': 'workspace' },
    HostConfig: { NetworkMode: 'none', CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'] }
  })
  await container.start()
  return container
}


/** `uid:gid mode path` of everything below /app. */
async function listing(container: Dockerode.Container): Promise<string[]> {
  const result = await execInContainer(container, ['find', '/app', '-mindepth', '1', '-printf', '%U:%G %m %P\n'])
  expect(result.exitCode).toBe(0)
  return result.stdout.trim().split('\n').filter(Boolean).sort()
}

describe('templates in a real container', () => {
  it.each(['react-vite-ts', 'node-api', 'shell'])('%s lands in /app owned by node, without template.json', async (id) => {
    const template = core.templates.get(id)
    const container = await emptyWorkspace()
    const packed = packTemplate(template.dir)
    await uploadToApp(container, packed.stream)
    const entries = await listing(container)
    for (const entry of entries) expect(entry).toMatch(/^1000:1000 [0-7]{3} /)
    const paths = entries.map((entry) => entry.split(' ')[2])
    expect(paths).not.toContain('template.json')
    expect(paths.length).toBeGreaterThanOrEqual(packed.files)
    // node can change its files: the template is the user's to edit.
    expect((await execInContainer(container, ['sh', '-c', 'touch /app/new-file && mkdir -p /app/new-dir'])).exitCode).toBe(0)
  })

  it('re-owns a hostile archive as node and drops setuid bits before the engine extracts it', async () => {
    const tar = pack()
    tar.entry({ name: './', type: 'directory', mode: 0o777, uid: 0, gid: 0 })
    tar.entry({ name: 'bin/', type: 'directory', mode: 0o755, uid: 0, gid: 0 })
    tar.entry({ name: 'bin/root-shell', mode: 0o4755, uid: 0, gid: 0 }, '#!/bin/sh\nid\n')
    tar.finalize()
    const container = await emptyWorkspace()
    await uploadToApp(container, sanitizeArchive(tar as unknown as NodeJS.ReadableStream))
    expect(await listing(container)).toEqual(['1000:1000 755 bin', '1000:1000 755 bin/root-shell'])
    // /app itself keeps the image's owner and mode: the archive's "./" entry was dropped.
    expect((await execInContainer(container, ['stat', '-c', '%U %a', '/app'])).stdout.trim()).toBe('node 755')
  })

  it('refuses a link out of /app, through which the engine would write as root', async () => {
    // Unchecked, the engine puts bin/pwned into the image's /usr/local/bin, owned by root (tried on 20.10).
    const tar = pack()
    tar.entry({ name: 'bin', type: 'symlink', linkname: '../usr/local/bin' })
    tar.entry({ name: 'bin/pwned', mode: 0o755 }, '#!/bin/sh\n')
    tar.finalize()
    const container = await emptyWorkspace()
    await expect(uploadToApp(container, sanitizeArchive(tar as unknown as NodeJS.ReadableStream))).rejects.toThrow(
      'Refused "bin": it is a link that points outside the template (../usr/local/bin).'
    )
    expect((await execInContainer(container, ['test', '-e', '/usr/local/bin/pwned'])).exitCode).toBe(1)
  })

  it('refuses an archive entry that climbs out of /app with its own message', async () => {
    const tar = pack()
    tar.entry({ name: '../../tmp/escaped.txt' }, 'escaped')
    tar.finalize()
    const container = await emptyWorkspace()
    await expect(uploadToApp(container, sanitizeArchive(tar as unknown as NodeJS.ReadableStream))).rejects.toThrow(/Refused "\.\.\/\.\.\/tmp\/escaped\.txt"/)
    expect((await execInContainer(container, ['test', '-e', '/tmp/escaped.txt'])).exitCode).toBe(1)
  })
})
