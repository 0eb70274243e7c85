import type { DiskUsage, WorkspaceUsage } from '../../src-main/core/contract'
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

/** The Engine view's disk lines: each kind's total and what prune would free. */
export function diskRows(usage: DiskUsage): Array<[string, string]> {
  const count = (kind: string): number => usage.objects.filter((o) => o.kind === kind).length
  return [
    ['Core images', `${formatBytes(usage.totals.images)} (${count('image')})`],
    ['Containers', `${formatBytes(usage.totals.containers)} (${count('container')})`],
    ['Volumes', `${formatBytes(usage.totals.volumes)} (${count('volume')})`],
    ['Can be pruned', usage.totals.prunable > 0 ? `${formatBytes(usage.totals.prunable)}: sandlot system prune` : 'nothing']
  ]
}
