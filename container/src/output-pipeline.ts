import { stripAnsi } from './ansi'
import type { Clock } from './clock'
import { classifyGroup } from './error-classifier'
import type { ErrorRegistry } from './error-registry'
import { fingerprint } from './fingerprint'
import { LineGrouper } from './line-grouper'
import type { ErrorEntry, LogRecord, OutputStream } from './protocol'
import type { RecordWriter } from './record-writer'
import type { RingBuffer } from './ring-buffer'

export interface OutputPipelineOptions {
  records: RecordWriter
  clock: Clock
  logs: RingBuffer<LogRecord>
  errors: ErrorRegistry
  /** Silence after which an open group of lines is classified. */
  groupFlushMs: number
  groupMaxLines: number
}

/**
 * What happens to each line the app prints: a log record, the recent-logs buffer, and error
 * detection (grouping per stream, classification, counting by fingerprint, an error record).
 */
export class OutputPipeline {
  private run = 0
  private readonly groupers: Record<OutputStream, LineGrouper>
  private lastError: ErrorEntry | undefined

  constructor(private readonly options: OutputPipelineOptions) {
    const grouper = (stream: OutputStream) =>
      new LineGrouper({
        clock: options.clock,
        flushMs: options.groupFlushMs,
        maxLines: options.groupMaxLines,
        onGroup: (lines) => this.classify(stream, lines)
      })
    this.groupers = { stdout: grouper('stdout'), stderr: grouper('stderr') }
  }

  beginRun(run: number): void {
    this.run = run
    this.lastError = undefined
  }

  line(stream: OutputStream, line: string, truncated: boolean): void {
    const record = this.options.records.write({ type: 'log', stream, line, ...(truncated ? { truncated: true as const } : {}), run: this.run })
    this.options.logs.push(record)
    this.groupers[stream].push(stripAnsi(line))
  }

  /** Classifies what is still grouped; returns the run's last error or fatal (the likely cause of a crash). */
  endRun(): ErrorEntry | undefined {
    this.groupers.stdout.flush()
    this.groupers.stderr.flush()
    return this.lastError
  }

  private classify(stream: OutputStream, lines: string[]): void {
    const found = classifyGroup(lines)
    if (!found) return
    const now = new Date(this.options.clock.now()).toISOString()
    const entry = this.options.errors.record({ ...found, stream, fingerprint: fingerprint(found.category, found.message, found.file) }, now)
    if (entry.severity !== 'warning') this.lastError = entry
    this.options.records.write({ type: 'error', ...entry, run: this.run })
  }
}
