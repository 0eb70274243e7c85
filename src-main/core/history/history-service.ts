import type BetterSqlite3 from 'better-sqlite3'
import type Dockerode from 'dockerode'
import type { AppStatus, ErrorContext, ErrorContextQuery, ErrorGroup, EventPayload, EventsQuery, LogLine, LogsPage, LogsQuery, TimelineEvent, Workspace } from '../contract'
import type { EventsConnection } from '../engine'
import { EventChannel } from '../event-channel'
import { HistoryIngest } from './history-ingest'
import { HistoryQueries } from './history-queries'
import { HistoryWriter, type StoredBatch } from './history-writer'
import { HistoryRetention, type RetentionSettings } from './retention'
import { NewestAnswer } from './newest-answer'
import type { TimelineRow } from './record-rows'

export interface HistoryServiceDeps {
  sqlite: BetterSqlite3.Database
  instanceId: string
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  events: () => EventsConnection
  retention: () => RetentionSettings
  /** The workspace as `workspaces.get` shows it, for `workspaces.changed`; undefined once it is gone. */
  describe: (name: string) => Promise<Workspace | undefined>
  onProblem?: (message: string) => void
  /** Rows were stored (after their transaction): sync may have a batch to send. */
  onStored?: (records: number) => void
  now?: () => number
  scanIntervalMs?: number
}

/** Live log lines go out at most this often per workspace ... */
const LIVE_LINES_EVERY_MS = 250
/** ... and at most this many per event (the newest); the rest are counted in `dropped`. */
const LIVE_LINES_MAX = 2000
/** A full retention pass this often in long-lived processes ... */
const PRUNE_EVERY_MS = 60_000
/** ... and a workspace's log lines pruned after this share of its limit was stored since the last look ... */
const PRUNE_AFTER_SHARE = 0.05
/** ... and at least this many lines. */
const PRUNE_AFTER_AT_LEAST = 1000

/**
 * The monitoring history of every workspace: ingest into SQLite, queries, retention, and live events for the
 * window (`history.logs`, `history.events`, `history.errors`, `workspaces.changed`).
 */
export class HistoryService {
  readonly logLines = new EventChannel<EventPayload<'history.logs'>>()
  readonly timeline = new EventChannel<EventPayload<'history.events'>>()
  readonly errorGroups = new EventChannel<EventPayload<'history.errors'>>()
  readonly workspaceChanges = new EventChannel<EventPayload<'workspaces.changed'>>()
  readonly retention: HistoryRetention
  readonly #queries: HistoryQueries
  readonly #ingest: HistoryIngest
  readonly #deps: HistoryServiceDeps
  readonly #liveLines = new Map<string, { lines: LogLine[]; dropped: number; timer: NodeJS.Timeout }>()
  /** Lines stored per workspace since its last prune. */
  readonly #sincePrune = new Map<string, number>()
  #pruning: Promise<unknown> = Promise.resolve()
  #pruneTimer: NodeJS.Timeout | undefined
  #live = false
  readonly #descriptions = new NewestAnswer<string, Workspace | undefined>()
  readonly #writer: HistoryWriter

  constructor(deps: HistoryServiceDeps) {
    this.#deps = deps
    const writer = new HistoryWriter(deps.sqlite, deps.now)
    this.#writer = writer
    this.#queries = new HistoryQueries(deps.sqlite)
    this.retention = new HistoryRetention(deps.sqlite, deps.retention, deps.now)
    this.#ingest = new HistoryIngest({
      sqlite: deps.sqlite,
      writer,
      instanceId: deps.instanceId,
      engine: deps.engine,
      events: deps.events,
      onStored: (batch) => this.#stored(batch),
      onContainer: (name) => this.workspaceChanged(name),
      ...(deps.onProblem ? { onProblem: deps.onProblem } : {}),
      ...(deps.scanIntervalMs === undefined ? {} : { scanIntervalMs: deps.scanIntervalMs })
    })
  }

  /** Long-lived processes: follow every workspace container, prune now and then. */
  startLive(): void {
    if (this.#live) return
    this.#live = true
    this.#ingest.start()
    this.#pruneTimer = setInterval(() => this.#prune(() => this.retention.prune()), PRUNE_EVERY_MS)
    this.#pruneTimer.unref()
    this.#prune(() => this.retention.prune())
  }

  stop(): void {
    this.#live = false
    clearInterval(this.#pruneTimer)
    this.#ingest.stop()
    for (const pending of this.#liveLines.values()) clearTimeout(pending.timer)
    this.#liveLines.clear()
  }

  /** Before a read in a process that does not follow live (a CLI call): store what the containers logged since. */
  async catchUp(workspace?: string): Promise<void> {
    if (this.#live) return
    await this.#ingest.catchUp(workspace)
    await this.#pruning
  }

  /** A workspace that exists, or one whose history was kept after it was removed. */
  knows(workspace: string): boolean {
    const sql = 'SELECT 1 FROM workspaces WHERE name = ? UNION ALL SELECT 1 FROM history_cursors WHERE workspace = ? LIMIT 1'
    return this.#deps.sqlite.prepare(sql).get(workspace, workspace) !== undefined
  }

  logs(query: LogsQuery): LogsPage {
    return this.#queries.logs(query)
  }

  workspaces(): string[] {
    return this.#queries.workspaces()
  }

  errors(workspace?: string): ErrorGroup[] {
    return this.#queries.errors(workspace)
  }

  errorContext(query: ErrorContextQuery): ErrorContext | undefined {
    return this.#queries.errorContext(query.workspace, query.fingerprint, query.around)
  }

  events(query: EventsQuery): TimelineEvent[] {
    return this.#queries.events(query)
  }

  appStatus(workspace: string, container?: string): AppStatus | undefined {
    return this.#queries.appStatus(workspace, container)
  }

  markSeen(workspace: string): void {
    this.#queries.markSeen(workspace)
    this.workspaceChanged(workspace)
  }

  /** Drops everything stored of a workspace (`rm --purge`). */
  async purge(workspace: string): Promise<number> {
    let deleted = 0
    this.#prune(async () => (deleted = await this.retention.purge(workspace)))
    await this.#pruning
    return deleted
  }

  /** Writes an entry of the host's own into a workspace's timeline (and to live subscribers). */
  recordHostEvent(workspace: string, container: string, row: TimelineRow): void {
    this.#stored(this.#writer.hostEvent(workspace, container, (this.#deps.now ?? Date.now)(), row))
  }

  /** Tells subscribers a workspace changed, with how it looks now. */
  workspaceChanged(name: string): void {
    // Only long-lived processes have subscribers; a CLI call would pay engine calls for nobody.
    if (!this.#live) return
    this.#descriptions.ask(name, () => this.#deps.describe(name), (workspace) => this.workspaceChanges.emit(workspace ? { name, workspace } : { name }))
  }

  #stored(batch: StoredBatch): void {
    const { workspace } = batch
    if (batch.lines.length > 0) this.#countForPrune(workspace, batch.lines.length)
    this.#deps.onStored?.(batch.lines.length + batch.events.length + batch.errors.length)
    // Only long-lived processes have subscribers; a CLI call stores and answers, with no queries for nobody.
    if (!this.#live) return
    if (batch.lines.length > 0) this.#queueLines(workspace, batch.lines)
    const events = batch.events.map((id) => this.#queries.event(id)).filter((event) => event !== undefined)
    // Read after the whole batch was stored, so one answer serves every event of it.
    const app = events.length > 0 ? this.#queries.appStatus(workspace) : undefined
    if (app) for (const event of events) this.timeline.emit({ workspace, event, app })
    for (const fingerprint of batch.errors) {
      const error = this.#queries.errorGroup(workspace, fingerprint)
      if (error) this.errorGroups.emit({ workspace, error })
    }
    if (events.some((event) => event.kind !== 'spec') || batch.errors.length > 0) this.workspaceChanged(workspace)
  }

  /** Prunes a workspace's log lines once a share of its limit was stored since the last time. */
  #countForPrune(workspace: string, lines: number): void {
    const stored = (this.#sincePrune.get(workspace) ?? 0) + lines
    // Below the floor no limit trips it: the settings are read only when one could.
    if (stored < PRUNE_AFTER_AT_LEAST || stored < this.#deps.retention().logLinesPerWorkspace * PRUNE_AFTER_SHARE) {
      this.#sincePrune.set(workspace, stored)
      return
    }
    this.#sincePrune.set(workspace, 0)
    this.#prune(() => this.retention.pruneLogs(workspace))
  }

  /** Batches live lines per workspace: a flood reaches the window as a few events a second, newest lines kept. */
  #queueLines(workspace: string, lines: LogLine[]): void {
    let pending = this.#liveLines.get(workspace)
    if (!pending) {
      const timer = setTimeout(() => {
        this.#liveLines.delete(workspace)
        this.logLines.emit({ workspace, lines: entry.lines, ...(entry.dropped > 0 ? { dropped: entry.dropped } : {}) })
      }, LIVE_LINES_EVERY_MS)
      timer.unref()
      const entry = { lines: [] as LogLine[], dropped: 0, timer }
      pending = entry
      this.#liveLines.set(workspace, pending)
    }
    pending.lines.push(...lines)
    if (pending.lines.length > LIVE_LINES_MAX) {
      const extra = pending.lines.length - LIVE_LINES_MAX
      pending.lines.splice(0, extra)
      pending.dropped += extra
    }
  }

  /** Retention work runs one piece at a time, in the background, its failures reported. */
  #prune(work: () => Promise<unknown>): void {
    this.#pruning = this.#pruning.then(work).catch((err) => this.#deps.onProblem?.(`Pruning the history failed: ${(err as Error).message}`))
  }
}
