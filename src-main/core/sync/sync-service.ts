import { createHash, randomBytes } from 'node:crypto'
import { MAX_SYNC_RECORDS, type SyncBatch, type SyncStatus, type SyncWorkspace } from '../contract'
import { backoffDelay, type Backoff } from '../engine/backoff'
import { CREATOR } from '../workspaces/creator'
import { sendBatch } from './sync-client'
import type { OutgoingBatch, SyncOutbox, WorkspaceSnapshot } from './sync-outbox'

/** Where sync sends, when both settings are there. */
export interface SyncTarget {
  url: string
  token: string
}

export interface SyncTiming {
  /** A batch goes out once this many records wait ... */
  sendAtRecords: number
  /** ... or this long after the first of them arrived. */
  sendAfterMs: number
  /** With nothing waiting, the outbox is looked at this often (other processes ingest too). */
  pollMs: number
  /** Pauses while the orchestrator is away or refuses: exponential, with jitter. */
  backoff: Backoff
  /** A request without an answer this long counts as failed. */
  requestTimeoutMs: number
  /** The workspace list is looked at again this long after a workspace changed (changes come in bursts). */
  workspacesSettleMs: number
}

export const SYNC_TIMING: SyncTiming = {
  sendAtRecords: 500,
  sendAfterMs: 1000,
  pollMs: 2000,
  backoff: { initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.5 },
  requestTimeoutMs: 30_000,
  workspacesSettleMs: 500
}

/** A batch's JSON stays under this (the orchestrator refuses larger ones with 413, and then gets half). */
export const MAX_BATCH_BYTES = 2 * 1024 * 1024
/** After a 413, batches never shrink below this. */
const MIN_BATCH_BYTES = 16 * 1024

export interface SyncServiceDeps {
  outbox: SyncOutbox
  /** The `sync` settings now. */
  settings: () => { url?: string | undefined; token?: string | undefined }
  workspaces: () => Promise<SyncWorkspace[]>
  agent: { hostname: string; version: string }
  onStatus?: (status: SyncStatus) => void
  /** Where a long-lived process reports what went wrong outside the orchestrator's answers (the database). */
  onProblem?: (message: string) => void
  timing?: Partial<SyncTiming>
  random?: () => number
  now?: () => number
}

type WakeOn = 'any' | 'many' | 'none'

/**
 * Sends the outbox to the orchestrator beside the ingest, never inside it: the history is stored first and
 * whatever happens to the network, the desktop goes on. One loop at a time; a settings change ends it and starts
 * another from what the orchestrator acknowledged (kept in the database, so a restart resumes the same way).
 */
export class SyncService {
  readonly #deps: SyncServiceDeps
  readonly #timing: SyncTiming
  #run: { controller: AbortController; done: Promise<void> } | undefined
  #wake: { on: WakeOn; resolve: () => void } | undefined
  /** Records stored since the loop last read the outbox (ingest nudges). */
  #nudged = 0
  #workspaces: WorkspaceSnapshot | undefined
  #workspacesTimer: NodeJS.Timeout | undefined
  #started = false
  /** This process's name in the sender lease. */
  readonly #owner = `${CREATOR}/${randomBytes(4).toString('hex')}`

  constructor(deps: SyncServiceDeps) {
    this.#deps = deps
    this.#timing = { ...SYNC_TIMING, ...deps.timing }
  }

  /** Long-lived processes: send while the settings say so. */
  start(): void {
    this.#started = true
    this.reconfigure()
  }

  /** Ends the loop (an in-flight request is cancelled; its rows stay unacknowledged and go again later). */
  async stop(): Promise<void> {
    this.#started = false
    clearTimeout(this.#workspacesTimer)
    const ending = this.#end()
    // At once, not after the loop noticed: the core closes the database right after this call.
    this.#deps.outbox.release(this.#owner)
    await ending
  }

  /** The settings changed: the loop starts, stops or begins again with the new target. */
  reconfigure(): void {
    if (!this.#started) return
    const previous = this.#run
    const target = syncTarget(this.#deps.settings())
    const controller = new AbortController()
    previous?.controller.abort()
    this.#wake?.resolve()
    if (target === undefined) {
      this.#run = undefined
      this.#emitStatus()
      return
    }
    const done = (async () => {
      await previous?.done
      if (!controller.signal.aborted) await this.#loop(target, controller.signal)
    })()
    this.#run = { controller, done }
    this.#refreshWorkspaces()
  }

  /** The ingest stored `records`: a batch may be due. */
  nudge(records: number): void {
    this.#nudged += records
    const wake = this.#wake
    if (wake && (wake.on === 'any' || (wake.on === 'many' && this.#nudged >= this.#timing.sendAtRecords))) wake.resolve()
  }

  /** A workspace changed: the list is read again shortly, and goes out if it differs from the one acknowledged. */
  workspacesChanged(): void {
    if (this.#run === undefined || this.#workspacesTimer !== undefined) return
    this.#workspacesTimer = setTimeout(() => {
      this.#workspacesTimer = undefined
      this.#refreshWorkspaces()
    }, this.#timing.workspacesSettleMs)
    this.#workspacesTimer.unref()
  }

  status(): SyncStatus {
    return syncStatus(this.#deps.outbox, this.#deps.settings())
  }

  async #end(): Promise<void> {
    const run = this.#run
    this.#run = undefined
    run?.controller.abort()
    this.#wake?.resolve()
    await run?.done
  }

  #refreshWorkspaces(): void {
    void this.#deps.workspaces().then(
      (list) => {
        const hash = createHash('sha256').update(JSON.stringify(list)).digest('hex').slice(0, 32)
        if (this.#workspaces?.hash === hash) return
        this.#workspaces = { list, hash }
        if (this.#wake?.on === 'any') this.#wake.resolve()
      },
      // The engine away: the list goes out once it can be read.
      () => undefined
    )
  }

  async #loop(target: SyncTarget, signal: AbortSignal): Promise<void> {
    const { outbox } = this.#deps
    outbox.target(target.url)
    this.#emitStatus()
    try {
      for (let failures = 0; !signal.aborted; failures++) {
        try {
          await this.#send(target, signal)
        } catch (err) {
          // The database busy or closing: sending starts again after a pause, from what was acknowledged.
          if (signal.aborted || !outbox.open) return
          this.#deps.onProblem?.(`Sync paused by an error and starts again: ${(err as Error).message}`)
          await this.#sleep(backoffDelay(failures, this.#timing.backoff, this.#deps.random), 'none', signal)
        }
      }
    } finally {
      outbox.release(this.#owner)
    }
  }

  async #send(target: SyncTarget, signal: AbortSignal): Promise<void> {
    const { outbox } = this.#deps
    let limits = { maxRecords: MAX_SYNC_RECORDS, maxBytes: MAX_BATCH_BYTES }
    let failures = 0
    let waitingSince: number | undefined
    // Held across a whole send (the request's timeout and more), renewed before each.
    const leaseMs = this.#timing.requestTimeoutMs + 30_000
    while (!signal.aborted) {
      if (!outbox.lease(this.#owner, leaseMs)) {
        // Another process of this data folder sends; this one takes over once that one stops renewing.
        await this.#sleep(this.#timing.pollMs, 'none', signal)
        continue
      }
      this.#nudged = 0
      const batch = outbox.next(target.url, limits, this.#workspaces)
      if (batch === undefined) {
        waitingSince = undefined
        await this.#sleep(this.#timing.pollMs, 'any', signal)
        continue
      }
      // Small batches wait a little for company (fewer, larger requests); a full one goes at once.
      const now = this.#now()
      waitingSince ??= now
      const left = waitingSince + this.#timing.sendAfterMs - now
      if (!batch.full && batch.records.length < this.#timing.sendAtRecords && left > 0) {
        this.#nudged = batch.records.length
        await this.#sleep(left, 'many', signal)
        continue
      }
      const outcome = await sendBatch(target.url, target.token, this.#wire(batch), signal, this.#timing.requestTimeoutMs)
      if (signal.aborted) return
      if (outcome.kind === 'stored') {
        outbox.acknowledge(batch)
        if (batch.invalid > 0) outbox.recordError(target.url, invalidRecords(batch.invalid))
        failures = 0
        waitingSince = undefined
        // Back up towards full batches after a 413 made them smaller.
        limits = { maxRecords: Math.min(MAX_SYNC_RECORDS, limits.maxRecords * 2), maxBytes: Math.min(MAX_BATCH_BYTES, limits.maxBytes * 2) }
        this.#emitStatus()
        continue
      }
      outbox.recordError(target.url, outcome)
      this.#emitStatus()
      if (outcome.kind === 'unauthorized' || outcome.kind === 'malformed') {
        // Retrying cannot help: wait for new settings (or a restart), which begin a new loop.
        await this.#sleep(Number.POSITIVE_INFINITY, 'none', signal)
        return
      }
      if (outcome.kind === 'too-large') {
        const smaller = splitLimits(batch, limits)
        if (smaller !== undefined) {
          limits = smaller
          continue
        }
        // One record alone is refused: it never will be taken; it is skipped, and said in the status.
        outbox.acknowledge({ ...batch, dropped: [], workspaces: undefined })
        outbox.recordError(target.url, { message: `${outcome.message} (a single record, ${batch.id}; skipped)`, hint: 'Raise the orchestrator’s body limit to keep such records.' })
        limits = { maxRecords: MAX_SYNC_RECORDS, maxBytes: MAX_BATCH_BYTES }
        this.#emitStatus()
        continue
      }
      await this.#sleep(backoffDelay(failures++, this.#timing.backoff, this.#deps.random), 'none', signal)
    }
  }

  #wire(batch: OutgoingBatch): SyncBatch {
    return {
      batch: batch.id,
      agent: this.#deps.agent,
      records: batch.records,
      ...(batch.workspaces ? { workspaces: batch.workspaces.list } : {}),
      ...(batch.dropped.length > 0 ? { dropped: batch.dropped } : {})
    }
  }

  /** Waits `ms`, or less when woken: by any nudge ('any'), by enough records for a batch ('many'), or only by an end. */
  #sleep(ms: number, on: WakeOn, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined
      const wake = { on, resolve: done }
      this.#wake = wake
      signal.addEventListener('abort', done, { once: true })
      function done(this: void): void {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        resolve()
      }
    }).finally(() => {
      this.#wake = undefined
    })
  }

  #emitStatus(): void {
    if (this.#deps.onStatus) this.#deps.onStatus(this.status())
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)()
  }
}

/** Sync runs when both settings are there. */
export function syncTarget(settings: { url?: string | undefined; token?: string | undefined }): SyncTarget | undefined {
  return settings.url !== undefined && settings.token !== undefined ? { url: settings.url, token: settings.token } : undefined
}

/** The status from the database and the settings: what any process (a CLI call too) shows. */
export function syncStatus(outbox: SyncOutbox, settings: { url?: string | undefined; token?: string | undefined }): SyncStatus {
  const enabled = syncTarget(settings) !== undefined
  const problem =
    settings.url !== undefined && settings.token === undefined
      ? { message: 'sync.url is set but sync.token is not: nothing is sent.', hint: 'Get a token from the orchestrator’s admin (`sandlot orchestrator token add HOSTNAME`), then `sandlot config set sync.token TOKEN`.' }
      : settings.url === undefined && settings.token !== undefined
        ? { message: 'sync.token is set but sync.url is not: nothing is sent.', hint: 'Set the orchestrator’s address: `sandlot config set sync.url https://…`.' }
        : undefined
  return outbox.status({ url: settings.url, enabled, ...(problem ? { problem } : {}) })
}

/** After a 413: half the records and half the bytes; undefined when a single record was refused. */
function splitLimits(batch: OutgoingBatch, limits: { maxRecords: number; maxBytes: number }): { maxRecords: number; maxBytes: number } | undefined {
  if (batch.records.length <= 1) return undefined
  return { maxRecords: Math.max(1, Math.floor(batch.records.length / 2)), maxBytes: Math.max(MIN_BATCH_BYTES, Math.floor(limits.maxBytes / 2)) }
}

function invalidRecords(count: number): { message: string; hint: string } {
  return {
    message: `${count} ${count === 1 ? 'record does' : 'records do'} not fit the sync format and ${count === 1 ? 'was' : 'were'} skipped.`,
    hint: 'A bug in Sandlot: please report it with `sandlot sync status --json`.'
  }
}
