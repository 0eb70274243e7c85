import { describe, expect, it } from 'vitest'
import { formatBytes } from '../../src-main/core/text/format-bytes'
import { diskRows, usageDescription, usageText } from './resource-model'

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

  it('sums the disk by kind and says what prune frees', () => {
    const rows = diskRows({
      objects: [
        { kind: 'image', id: 'sandlot/core:a', name: 'sandlot/core:a', bytes: 300_000_000, prunable: 'old' },
        { kind: 'container', id: 'c', name: 'sandlot-web', bytes: 5_000_000 }
      ],
      totals: { images: 300_000_000, containers: 5_000_000, volumes: 0, prunable: 300_000_000 }
    })
    expect(rows).toEqual([
      ['Core images', '300 MB (1)'],
      ['Containers', '5.0 MB (1)'],
      ['Volumes', '0 B (0)'],
      ['Can be pruned', '300 MB: sandlot system prune']
    ])
  })
})
