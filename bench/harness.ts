import type Dockerode from 'dockerode'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/**
 * One line of the results table. `ratio` is value / baseline value (or, when the benchmark pairs its
 * measurements per round, the median of the per-round ratios), always against a baseline measured in
 * the same run: the machines are shared and noisy, so numbers from an earlier run mean nothing here.
 */
export interface Row {
  bench: string
  metric: string
  value: number | null
  unit: string
  baselineName: string | null
  baselineValue: number | null
  ratio: number | null
  /** The per-round values behind `value` (and the baseline), for the JSON file and the details section. */
  rounds?: { value: number | null; baseline: number | null }[]
  note?: string
}

export interface BenchContext {
  docker: Dockerode
  /** The core image tag (sandlot/core:<hash>) every container of the run uses. */
  image: string
  /** dev.sandlot.instance of every container this run creates: cleanup removes exactly those. */
  instance: string
  rounds: number
  /** Seconds of each measured window. */
  windowSeconds: number
  /** Progress, on stderr. */
  log: (message: string) => void
}

export interface BenchResult {
  rows: Row[]
  /** Markdown lines shown under the table (what was measured, warnings). */
  notes: string[]
}

export interface Benchmark {
  name: string
  description: string
  run(ctx: BenchContext): Promise<BenchResult>
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The nearest-rank percentile: the smallest value with at least p % of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length
}

/**
 * A row from paired per-round measurements: value and baseline are the medians, the ratio the median of the
 * per-round ratios (each pair was measured minutes apart at most, so it shares most of the machine's noise).
 */
export function pairedRow(
  fields: Omit<Row, 'value' | 'baselineValue' | 'ratio' | 'rounds'>,
  pairs: readonly { value: number; baseline: number }[]
): Row {
  const ratios = pairs.filter((p) => p.baseline !== 0).map((p) => p.value / p.baseline)
  return {
    ...fields,
    value: median(pairs.map((p) => p.value)),
    baselineValue: median(pairs.map((p) => p.baseline)),
    ratio: ratios.length === 0 ? null : median(ratios),
    rounds: pairs.map((p) => ({ value: p.value, baseline: p.baseline }))
  }
}

/** A row without a baseline (an absolute number such as "extra CPU"). */
export function absoluteRow(fields: Omit<Row, 'value' | 'baselineName' | 'baselineValue' | 'ratio' | 'rounds'>, values: readonly number[]): Row {
  return { ...fields, value: median(values), baselineName: null, baselineValue: null, ratio: null, rounds: values.map((v) => ({ value: v, baseline: null })) }
}

export function formatNumber(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—'
  const abs = Math.abs(value)
  if (Number.isInteger(value)) return value.toLocaleString('en-US')
  if (abs !== 0 && abs < 0.01) return value.toExponential(1)
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US')
  if (abs >= 100) return value.toFixed(0)
  if (abs >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

export function formatRatio(ratio: number | null): string {
  return ratio === null || Number.isNaN(ratio) ? '—' : `${ratio.toFixed(2)}×`
}

export function markdownTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'metric', 'value', 'unit', 'baseline', 'baseline value', 'ratio']
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i >= 2 && i !== 3 && i !== 4 ? '---:' : '---')).join('|')}|`
  ]
  for (const row of rows) {
    const cells = [
      row.bench,
      row.metric,
      formatNumber(row.value),
      row.unit,
      row.baselineName ?? '—',
      formatNumber(row.baselineValue),
      formatRatio(row.ratio)
    ]
    lines.push(`| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)
  }
  return lines.join('\n')
}

/** Per-round values of every row, as a compact markdown list (the spread tells how noisy the run was). */
export function roundsDetails(rows: readonly Row[]): string {
  const lines: string[] = []
  for (const row of rows) {
    if (!row.rounds || row.rounds.length < 2) continue
    const values = row.rounds.map((r) => (r.baseline === null ? formatNumber(r.value) : `${formatNumber(r.value)} / ${formatNumber(r.baseline)}`))
    lines.push(`- ${row.bench} · ${row.metric}${row.baselineName ? ` (value / ${row.baselineName})` : ''}: ${values.join(', ')}`)
  }
  return lines.join('\n')
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A full garbage collection, so memory figures and latencies are not a flood's leftovers (`npm run bench` runs without --expose-gc). */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}
