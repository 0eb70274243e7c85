import type { ReceivedRecord, RecordHandlers, RecordProblem } from '../monitor/monitor-records'

/** Records per transaction: large enough that a flood is stored at SQLite's pace, small enough to hold the write lock briefly. */
const BATCH_RECORDS = 1000
/** A quiet container's records wait at most this long before they are stored (and reach the window). */
const BATCH_DELAY_MS = 100

/**
 * Collects a container's records into batches. A full batch is stored synchronously, inside the stream's
 * data handler: while SQLite writes, the log stream is not read, so a container that prints faster than
 * the host stores is held back by the socket instead of growing memory here.
 */
export class RecordBatches {
  readonly #store: (records: ReceivedRecord[]) => void
  readonly #onProblem: (problem: RecordProblem) => void
  readonly #delayMs: number
  #pending: ReceivedRecord[] = []
  #timer: NodeJS.Timeout | undefined

  constructor(store: (records: ReceivedRecord[]) => void, onProblem: (problem: RecordProblem) => void = () => {}, delayMs = BATCH_DELAY_MS) {
    this.#store = store
    this.#onProblem = onProblem
    this.#delayMs = delayMs
  }

  readonly handlers: RecordHandlers = {
    onRecord: (received) => this.add(received),
    onProblem: (problem) => {
      // stderr is the monitor's own diagnostics: expected, not a problem with the record stream.
      if (problem.reason !== 'diagnostic') this.#onProblem(problem)
    }
  }

  add(received: ReceivedRecord): void {
    this.#pending.push(received)
    if (this.#pending.length >= BATCH_RECORDS) this.flush()
    else if (this.#timer === undefined && this.#delayMs > 0) {
      this.#timer = setTimeout(() => this.flush(), this.#delayMs)
      this.#timer.unref()
    }
  }

  flush(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#pending.length === 0) return
    const records = this.#pending
    this.#pending = []
    this.#store(records)
  }
}
