import type { DiskObject, DiskUsage, PruneResult, WorkspaceUsage } from '../../src-main/core/contract'
import { formatBytes } from '../../src-main/core/text/format-bytes'

/** A workspace's usage in a few words for its row and page: `CPU 12% · 140 MB` (100% is one core). */
export function usageText(usage: WorkspaceUsage | undefined): string | undefined {
  if (usage === undefined) return undefined
  return `CPU ${Math.round(usage.cpuPercent)}% · ${formatBytes(usage.memoryBytes)}`
}

/** The same, said in full for tooltips and screen readers. */
export function usageDescription(usage: WorkspaceUsage): string {
  const limit = usage.memoryLimitBytes === undefined ? '' : ` of ${formatBytes(usage.memoryLimitBytes)} allowed`
  return `CPU ${Math.round(usage.cpuPercent)}% of one core, memory ${formatBytes(usage.memoryBytes)}${limit}`
}

/**
 * The Engine view's disk lines: each kind's total and what prune would free. An image's size is what it takes
 * on its own (layers shared with the base and the other tags are not counted again), so the line says so: 16
 * tags of 870 MB each can take 52 MB between them.
 */
export function diskRows(usage: DiskUsage): Array<[string, string]> {
  const count = (kind: string, noun: string): string => {
    const n = usage.objects.filter((o) => o.kind === kind).length
    return `${n} ${noun}${n === 1 ? '' : 's'}`
  }
  return [
    ['Core images', `${formatBytes(usage.totals.images)} of their own · ${count('image', 'image')}`],
    ['Containers', `${formatBytes(usage.totals.containers)} · ${count('container', 'container')}`],
    ['Volumes', `${formatBytes(usage.totals.volumes)} · ${count('volume', 'volume')}`],
    ['Can be pruned', usage.totals.prunable > 0 ? formatBytes(usage.totals.prunable) : 'nothing']
  ]
}

/** What prune would remove: the objects `system.df` marks prunable, as `sandlot system prune` lists them. */
export function pruneCandidates(usage: DiskUsage): DiskObject[] {
  return usage.objects.filter((o) => o.prunable !== undefined)
}

/** A prune's outcome in a line, and each failure: as `sandlot system prune` prints it. */
export function pruneSummary(result: PruneResult): { text: string; failures: string[] } {
  return {
    text: result.removed.length === 0 ? 'Nothing was removed.' : `Removed ${result.removed.length} (${formatBytes(result.bytes)}).`,
    failures: result.failed.map((f) => `Could not remove ${f.object.kind} ${f.object.name}: ${f.message}`)
  }
}
