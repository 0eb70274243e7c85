import { describe, expect, it } from 'vitest'
import { formatBytes } from '../../src-main/core/text/format-bytes'
import { diskRows, pruneCandidates, pruneSummary, usageDescription, usageText } from './resource-model'

describe('resource model', () => {
  it('formats bytes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1500)).toBe('1.5 kB')
    expect(formatBytes(140_000_000)).toBe('140 MB')
    expect(formatBytes(-1)).toBe('unknown')
  })

  it('says a workspace’s usage briefly and in full', () => {
    const usage = { workspace: 'web', cpuPercent: 98.6, memoryBytes: 140_000_000, memoryLimitBytes: 2_000_000_000, at: '2026-12-03T10:00:00Z' }
    expect(usageText(usage)).toBe('CPU 99% · 140 MB')
    expect(usageText(undefined)).toBeUndefined()
    expect(usageDescription(usage)).toBe('CPU 99% of one core, memory 140 MB of 2.0 GB allowed')
  })

  it('sums the disk by kind (an image by what it takes of its own) and says what prune frees', () => {
    const usage = {
      objects: [
        { kind: 'image', id: 'sandlot/core:a', name: 'sandlot/core:a', bytes: 300_000_000, prunable: 'old' },
        { kind: 'container', id: 'c', name: 'sandlot-web', bytes: 5_000_000 }
      ],
      totals: { images: 300_000_000, containers: 5_000_000, volumes: 0, prunable: 300_000_000 }
    } as const
    expect(diskRows({ ...usage, objects: [...usage.objects] })).toEqual([
      ['Core images', '300 MB of their own · 1 image'],
      ['Containers', '5.0 MB · 1 container'],
      ['Volumes', '0 B · 0 volumes'],
      ['Can be pruned', '300 MB']
    ])
    expect(pruneCandidates({ ...usage, objects: [...usage.objects] }).map((o) => o.id)).toEqual(['sandlot/core:a'])
  })

  it('says what a prune removed and what it could not', () => {
    const image = { kind: 'image', id: 'i', name: 'sandlot/core:old', bytes: 1_000_000 } as const
    expect(pruneSummary({ removed: [image], failed: [], bytes: 1_000_000 })).toEqual({ text: 'Removed 1 (1.0 MB).', failures: [] })
    expect(pruneSummary({ removed: [], failed: [{ object: image, message: 'in use' }], bytes: 0 })).toEqual({
      text: 'Nothing was removed.',
      failures: ['Could not remove image sandlot/core:old: in use']
    })
  })
})
