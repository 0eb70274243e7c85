import { describe, expect, it } from 'vitest'
import type { EngineEndpoint } from '../contract'
import type { Stats } from 'node:fs'
import { assertLocalEngine, assertWorkspaceUserCanOpen, hostFolderMounts } from './host-mount'

const endpoint = (kind: EngineEndpoint['kind'], url: string): EngineEndpoint => ({ kind, url, source: 'DOCKER_HOST' })

describe('--mount', () => {
  it('is allowed on an engine of this machine: its socket, its pipe, TCP on loopback', () => {
    for (const e of [endpoint('unix', 'unix:///var/run/docker.sock'), endpoint('npipe', 'npipe:////./pipe/docker_engine'), endpoint('tcp', 'tcp://127.0.0.1:2375'), endpoint('tcp', 'tcp://localhost:2376'), endpoint('tcp', 'tcp://[::1]:2375')]) {
      expect(() => assertLocalEngine(e, '/home/me/app'), e.url).not.toThrow()
    }
  })

  it('is refused with the reason for a remote engine', () => {
    for (const e of [endpoint('tcp', 'tcp://build-box:2376'), endpoint('ssh', 'ssh://me@build-box'), endpoint('ssh', 'ssh://me@localhost')]) {
      expect(() => assertLocalEngine(e, '/home/me/app')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', message: `--mount needs an engine on this machine: the engine at ${e.url} cannot see /home/me/app.` }))
    }
  })

  it('mounts the folder at /app and the workspace own volume over its node_modules', () => {
    expect(hostFolderMounts('/home/me/app', 'inst1', 'web')).toEqual([
      { Type: 'bind', Source: '/home/me/app', Target: '/app' },
      { Type: 'volume', Source: 'sandlot-modules-inst1-web', Target: '/app/node_modules' }
    ])
  })

  it("is refused on Linux for a folder the workspace's user (uid 1000) cannot open, saying how to give it access", () => {
    const stat = (uid: number, gid: number, mode: number) => ({ uid, gid, mode: 0o40000 | mode }) as Stats
    for (const ok of [stat(1000, 1000, 0o700), stat(0, 1000, 0o750), stat(0, 0, 0o755), stat(501, 20, 0o705)]) {
      expect(() => assertWorkspaceUserCanOpen('/srv/app', 'linux', ok), ok.mode.toString(8)).not.toThrow()
    }
    expect(() => assertWorkspaceUserCanOpen('/tmp/app', 'linux', stat(0, 0, 0o700))).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: "The workspace's user (uid 1000) cannot open /tmp/app: it is mode 0700, owned by uid 0.", hint: expect.stringContaining('sudo chown -R 1000 /tmp/app') })
    )
    expect(() => assertWorkspaceUserCanOpen('/srv/app', 'linux', stat(1000, 1000, 0o600))).toThrow(/cannot open/)
    // Docker Desktop maps ownership through its VM: nothing to check there.
    expect(() => assertWorkspaceUserCanOpen('/Users/me/app', 'darwin', stat(501, 20, 0o700))).not.toThrow()
  })
})
