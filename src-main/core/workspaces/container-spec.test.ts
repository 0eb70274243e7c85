import { describe, expect, it } from 'vitest'
import { limitsUpdate, PREVIEW_CONTAINER_PORT, publishedPreviewPort, workspaceContainerSpec } from './container-spec'

describe('workspace container spec', () => {
  const spec = workspaceContainerSpec({
    imageTag: 'sandlot/core:abcdef123456',
    instanceId: 'i1',
    name: 'sandlot-pool-1',
    role: 'pool',
    network: 'sandlot-net-i1',
    previewHostPort: 41234
  })

  it('is hardened by default: the monitor as root with three capabilities only (the app runs as node with none)', () => {
    expect(spec.User).toBe('root')
    expect(spec.HostConfig?.CapDrop).toEqual(['ALL'])
    expect(spec.HostConfig?.CapAdd).toEqual(['SETUID', 'SETGID', 'KILL'])
    expect(spec.HostConfig?.SecurityOpt).toContain('no-new-privileges')
    expect(spec.HostConfig?.Privileged).toBeUndefined()
    expect(spec.HostConfig?.PidsLimit).toBeGreaterThan(0)
    expect(spec.HostConfig?.Memory).toBeGreaterThan(0)
    expect(spec.HostConfig?.NanoCpus).toBeGreaterThan(0)
  })

  it('publishes only the preview port, on loopback', () => {
    expect(spec.HostConfig?.PortBindings).toEqual({ [`${PREVIEW_CONTAINER_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '41234' }] })
    expect(spec.HostConfig?.NetworkMode).toBe('sandlot-net-i1')
  })

  it('mounts no Docker socket and nothing from the host: only the shared npm store and the read-only snapshots', () => {
    expect(spec.HostConfig?.Binds).toBeUndefined()
    expect(spec.HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: 'sandlot-npm-content-i1', Target: '/home/node/.npm-shared/_cacache/content-v2' },
      { Type: 'volume', Source: 'sandlot-deps-i1', Target: '/opt/sandlot/deps', ReadOnly: true }
    ])
  })

  it('carries the conventional labels', () => {
    expect(spec.Labels).toEqual({
      'dev.sandlot.managed': 'true',
      'dev.sandlot.instance': 'i1',
      'dev.sandlot.role': 'pool',
      'dev.sandlot.image-hash': 'abcdef123456'
    })
  })

  it('turns template limits into a container update, defaults filling the gaps', () => {
    expect(limitsUpdate({ memoryMb: 512 })).toMatchObject({ Memory: 512 * 1024 * 1024, MemorySwap: 512 * 1024 * 1024, NanoCpus: 2e9 })
    expect(limitsUpdate({ cpus: 0.5 }).NanoCpus).toBe(5e8)
  })

  it('reads the published preview port', () => {
    const info = { NetworkSettings: { Ports: { '4700/tcp': [{ HostIp: '127.0.0.1', HostPort: '49153' }] } } }
    expect(publishedPreviewPort(info as never)).toBe(49153)
    expect(publishedPreviewPort({ NetworkSettings: { Ports: {} } } as never)).toBeUndefined()
  })
})
