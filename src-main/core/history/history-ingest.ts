import type BetterSqlite3 from 'better-sqlite3'
import type Dockerode from 'dockerode'
import type { EngineEvent } from '../contract'
import { followEngineEvents, unlessMissing, type EngineEventSubscription, type EventsConnection } from '../engine'
import { followMonitorRecords, readMonitorRecords, type ReceivedRecord, type RecordFollower, type RecordProblem } from '../monitor/monitor-records'
import type { HistoryWriter, StoredBatch } from './history-writer'
import { RecordBatches } from './record-batches'

export interface HistoryIngestDeps {
  sqlite: BetterSqlite3.Database
  writer: HistoryWriter
  instanceId: string
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  /** The engine connection to follow events on (throws while the engine settings are unusable). */
  events: () => EventsConnection
  onStored: (batch: StoredBatch) => void
  /** A workspace container started, stopped or went away (for `workspaces.changed`). */
  onContainer?: (workspace: string, event: EngineEvent) => void
  onProblem?: (message: string) => void
  /** How often running workspace containers are looked for (claims from the pool, streams that dropped). */
  scanIntervalMs?: number
}

interface Followed {
  workspace: string
  follower: RecordFollower | undefined
  closed: boolean
  /** A start event came while it was followed: it is not left waiting when its stream ends. */
  started: boolean
}

const SCAN_INTERVAL_MS = 2000
const CONTAINER_ACTIONS = new Set(['start', 'die', 'stop', 'pause', 'unpause', 'destroy', 'rename', 'restart'])

/**
 * Brings monitor records from workspace containers into the history. A long-lived process follows every
 * workspace container of its instance live (`start`); any process can catch up on demand (`catchUp`): both read
 * from the container's stored cursor, so after the app, the engine or the container restarts, ingest resumes
 * where the stored history ends, and what is read twice is dropped by the writer's unique key.
 */
export class HistoryIngest {
  readonly #deps: HistoryIngestDeps
  readonly #followed = new Map<string, Followed>()
  /** Containers whose stream was read to its end while they were stopped: read again once they run. */
  readonly #drained = new Set<string>()
  readonly #reported = new Set<string>()
  #events: EngineEventSubscription | undefined
  #timer: NodeJS.Timeout | undefined
  #scanning: Promise<void> | undefined
  #rescan = false
  #running = false

  constructor(deps: HistoryIngestDeps) {
    this.#deps = deps
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#timer = setInterval(() => this.scan(), this.#deps.scanIntervalMs ?? SCAN_INTERVAL_MS)
    this.#timer.unref()
    this.scan()
  }

  stop(): void {
    this.#running = false
    clearInterval(this.#timer)
    this.#events?.close()
    this.#events = undefined
    for (const followed of this.#followed.values()) {
      followed.closed = true
      followed.follower?.close()
    }
    this.#followed.clear()
  }

  /**
   * Stores what workspace containers logged since their cursor (all of them, or one workspace's), without
   * following: a CLI call does this before it answers. An engine that cannot be reached leaves the rest as it is.
   */
  async catchUp(workspace?: string): Promise<void> {
    const batches: StoredBatch[] = []
    try {
      for (const { name, containerId } of this.#workspaceContainers(workspace)) {
        const pending = new RecordBatches((records) => batches.push(this.#deps.writer.write(name, containerId, records)), (p) => this.#recordProblem(containerId, p), 0)
        const since = this.#deps.writer.cursor(containerId)
        try {
          await this.#deps.engine((docker) => unlessMissing(readMonitorRecords(docker, containerId, since ? { since } : {}, pending.handlers)))
        } catch (err) {
          if ((err as { code?: string }).code === 'ENGINE_UNREACHABLE') break
          throw err
        }
        pending.flush()
      }
    } finally {
      // Whatever was stored is reported (retention counts it), also when a later container failed.
      for (const batch of batches) this.#deps.onStored(batch)
    }
  }

  /** Looks for workspace containers to follow; concurrent calls collapse into one more pass. */
  scan(): void {
    if (!this.#running) return
    if (this.#scanning) {
      this.#rescan = true
      return
    }
    this.#scanning = this.#scanOnce()
      .catch((err) => {
        if ((err as { code?: string }).code !== 'ENGINE_UNREACHABLE') this.#problem('scan', `History ingest could not look for containers to follow: ${(err as Error).message}`)
      })
      .finally(() => {
        this.#scanning = undefined
        if (this.#rescan) {
          this.#rescan = false
          this.scan()
        }
      })
  }

  /** Stopped containers are followed again on their start event: without the events, nothing would wake them. */
  #subscribe(): void {
    try {
      this.#events = followEngineEvents(this.#deps.events(), { filters: { type: ['container'], label: [`dev.sandlot.instance=${this.#deps.instanceId}`] } }, (event) =>
        this.#onEngineEvent(event)
      )
    } catch (err) {
      this.#problem('engine', `History ingest cannot follow the engine's events: ${(err as Error).message}`)
    }
  }

  async #scanOnce(): Promise<void> {
    // Until the engine's settings allow it (tried again each scan).
    if (!this.#events) this.#subscribe()
    // A SQLite read: containers whose stream ended while stopped wait for their start event (#drained); every
    // other workspace container nobody follows yet (new, claimed from the pool, a stream that dropped) is followed.
    for (const { name, containerId } of this.#workspaceContainers()) {
      if (!this.#followed.has(containerId) && !this.#drained.has(containerId)) this.#follow(name, containerId)
    }
  }

  #follow(workspace: string, containerId: string): void {
    const followed: Followed = { workspace, follower: undefined, closed: false, started: false }
    this.#followed.set(containerId, followed)
    const end = (drained: boolean): void => {
      if (this.#followed.get(containerId) === followed) this.#followed.delete(containerId)
      // A start seen meanwhile means it runs again: the next scan follows it.
      if (drained && !followed.started) this.#drained.add(containerId)
    }
    const batches = new RecordBatches(
      (records) => this.#store(followed, containerId, records),
      (p) => this.#recordProblem(containerId, p)
    )
    const since = this.#deps.writer.cursor(containerId)
    this.#deps
      .engine((docker) => followMonitorRecords(docker, containerId, since ? { since } : {}, batches.handlers))
      .then(
        (follower) => {
          followed.follower = follower
          if (followed.closed) follower.close()
          void follower.ended.then(async () => {
            batches.flush()
            if (followed.closed) return end(false)
            // Stopped: wait for its start event. Still running (the engine restarted, a connection dropped) or
            // unknown: the next scan follows it again, from the cursor.
            end(!(await this.#isRunning(containerId)))
          })
        },
        (err: { statusCode?: number; message?: string }) => {
          // Gone: nothing to wait for. Otherwise (the engine away) the next scan tries again; said once.
          end(err.statusCode === 404)
          if (err.statusCode !== 404) this.#problem(containerId, `History ingest cannot read the log of ${workspace}: ${err.message}`)
        }
      )
  }

  /** Whether a container runs; true when the engine cannot say, so it is tried again rather than left waiting. */
  async #isRunning(containerId: string): Promise<boolean> {
    try {
      const info = await this.#deps.engine((docker) => unlessMissing(docker.getContainer(containerId).inspect()))
      return info?.State.Running === true
    } catch {
      return true
    }
  }

  #store(followed: Followed, containerId: string, records: ReceivedRecord[]): void {
    if (followed.closed) return
    try {
      this.#deps.onStored(this.#deps.writer.write(followed.workspace, containerId, records))
      this.#reported.delete(`store:${containerId}`)
    } catch (err) {
      // Nothing of the batch is stored (one transaction) and the cursor did not move: reading again from it
      // (the next scan) loses nothing.
      this.#problem(`store:${containerId}`, `Storing the history of ${followed.workspace} failed: ${(err as Error).message}`)
      followed.closed = true
      followed.follower?.close()
    }
  }

  #onEngineEvent(event: EngineEvent): void {
    if (!CONTAINER_ACTIONS.has(event.action)) return
    if (event.action === 'start' || event.action === 'restart' || event.action === 'unpause') {
      this.#drained.delete(event.id)
      const followed = this.#followed.get(event.id)
      if (followed) followed.started = true
    }
    if (event.action === 'destroy') this.#drained.delete(event.id)
    const row = this.#deps.sqlite.prepare('SELECT name FROM workspaces WHERE container_id = ?').get(event.id) as { name: string } | undefined
    if (row) this.#deps.onContainer?.(row.name, event)
    this.scan()
  }

  #workspaceContainers(workspace?: string): Array<{ name: string; containerId: string }> {
    const sql = `SELECT name, container_id AS containerId FROM workspaces WHERE container_id NOT LIKE 'pending:%'${workspace === undefined ? '' : ' AND name = ?'}`
    return this.#deps.sqlite.prepare(sql).all(...(workspace === undefined ? [] : [workspace])) as Array<{ name: string; containerId: string }>
  }

  #recordProblem(containerId: string, problem: RecordProblem): void {
    // Said once per container and kind: a stream full of foreign lines must not flood the log.
    this.#problem(`${problem.reason}:${containerId}`, `A line in the record stream of container ${containerId.slice(0, 12)} was not stored: ${problem.message}`)
  }

  #problem(key: string, message: string): void {
    if (this.#reported.has(key)) return
    this.#reported.add(key)
    this.#deps.onProblem?.(message)
  }
}

