import type BetterSqlite3 from 'better-sqlite3'
import { stripAnsi } from '../../../container/src/ansi'
import { AppStateName, type AppStatus, type ErrorContext, type ErrorGroup, type EventsQuery, type LogLine, type LogsPage, type LogsQuery, type TimelineEvent } from '../contract'
import { matchRanges, parseSearch, type SearchTerm } from './fts-query'
import type { EventRow, LogRow } from './history-rows'

const DEFAULT_LOG_PAGE = 200
const DEFAULT_EVENT_PAGE = 200
const DEFAULT_CONTEXT = 8
/**
 * How far back from an error record its first line is looked for: the monitor writes the record once the
 * group of lines (capped well below this) has ended, so its lines are among the last few hundred.
 */
const ANCHOR_SCAN = 500
/** Error groups are bounded by retention; a list longer than this is not read by anyone. */
const MAX_ERROR_GROUPS = 1000

interface GroupRow {
  workspace: string
  fingerprint: string
  category: string
  severity: ErrorGroup['severity']
  message: string
  file: string | null
  line: number | null
  column: number | null
  stack: string | null
  count: number
  first_seen: number
  last_seen: number
  unread: number
  log_id: number | null
}

const iso = (ms: number): string => new Date(ms).toISOString()

function add(where: string[], args: unknown[], condition: string, value: unknown): void {
  where.push(condition)
  args.push(value)
}

/** A filtered scan of log lines (or of full-text matches) in id order, either way. */
interface LogScan {
  from: string
  where: string[]
  args: unknown[]
  terms: SearchTerm[] | undefined
}

/** Error groups with the log line nearest each one's last occurrence. */
const GROUPS = `SELECT g.*, (SELECT l.id FROM log_lines l WHERE l.container = g.container AND l.boot = g.last_boot AND l.seq < g.last_seq ORDER BY l.seq DESC LIMIT 1) AS log_id
  FROM error_groups g`

type Statement = BetterSqlite3.Statement<unknown[], unknown>

/** The history's read side: the same queries for the window, `sandlot serve` and the CLI. */
export class HistoryQueries {
  readonly #sqlite: BetterSqlite3.Database
  // The fixed statements, prepared once (the filtered scans are built per query).
  readonly #sql: Record<
    | 'allGroups'
    | 'workspaceGroups'
    | 'group'
    | 'event'
    | 'latestState'
    | 'restarts'
    | 'latestCrash'
    | 'unread'
    | 'markSeen'
    | 'firstSince'
    | 'lastUntil'
    | 'firstId'
    | 'lastId'
    | 'groupPlace'
    | 'linesBefore'
    | 'runBefore'
    | 'runAfter'
    | 'workspaces',
    Statement
  >

  constructor(sqlite: BetterSqlite3.Database) {
    this.#sqlite = sqlite
    const prepare = (sql: string): Statement => sqlite.prepare(sql)
    this.#sql = {
      allGroups: prepare(`${GROUPS} ORDER BY g.last_seen DESC LIMIT ${MAX_ERROR_GROUPS}`),
      workspaceGroups: prepare(`${GROUPS} WHERE g.workspace = ? ORDER BY g.last_seen DESC LIMIT ${MAX_ERROR_GROUPS}`),
      group: prepare(`${GROUPS} WHERE g.workspace = ? AND g.fingerprint = ?`),
      event: prepare('SELECT * FROM history_events WHERE id = ?'),
      latestState: prepare(`SELECT container, boot, ts, state FROM history_events WHERE workspace = @workspace AND kind = 'state' AND (@container IS NULL OR container = @container) ORDER BY id DESC LIMIT 1`),
      restarts: prepare(`SELECT count(*) AS n FROM history_events WHERE container = ? AND boot = ? AND kind = 'restart'`),
      latestCrash: prepare(`SELECT exit_code, signal, ts FROM history_events WHERE workspace = @workspace AND kind = 'crash' AND (@container IS NULL OR container = @container) ORDER BY id DESC LIMIT 1`),
      unread: prepare('SELECT count(*) AS n FROM error_groups WHERE workspace = ? AND unread = 1'),
      markSeen: prepare('UPDATE error_groups SET unread = 0 WHERE workspace = ? AND unread = 1'),
      firstSince: prepare('SELECT id FROM log_lines WHERE workspace = ? AND ts >= ? ORDER BY ts, id LIMIT 1'),
      lastUntil: prepare('SELECT id FROM log_lines WHERE workspace = ? AND ts <= ? ORDER BY ts DESC, id DESC LIMIT 1'),
      firstId: prepare('SELECT id FROM log_lines WHERE workspace = ? ORDER BY id LIMIT 1'),
      lastId: prepare('SELECT id FROM log_lines WHERE workspace = ? ORDER BY id DESC LIMIT 1'),
      groupPlace: prepare('SELECT container, last_boot, last_seq, message, stack FROM error_groups WHERE workspace = ? AND fingerprint = ?'),
      // On the (container, boot, seq) key: a container's record stream, in the order it was logged.
      linesBefore: prepare('SELECT * FROM log_lines WHERE container = ? AND boot = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
      runBefore: prepare('SELECT * FROM log_lines WHERE container = ? AND boot = ? AND seq < ? AND run = ? ORDER BY seq DESC LIMIT ?'),
      runAfter: prepare('SELECT * FROM log_lines WHERE container = ? AND boot = ? AND seq > ? AND run = ? ORDER BY seq LIMIT ?'),
      // A cursor per container that ever sent records: kept with the history after the workspace is removed.
      workspaces: prepare('SELECT DISTINCT workspace FROM history_cursors ORDER BY workspace')
    }
  }

  /**
   * A page of log lines, oldest first: the newest page, or the lines before or after a row id. since/until
   * bound by the record's time; a full-text query returns the match ranges of each line.
   */
  logs(query: LogsQuery): LogsPage {
    const scan = this.#logScan(query)
    if (scan === undefined) return { lines: [], moreBefore: false, moreAfter: false }
    const limit = query.limit ?? DEFAULT_LOG_PAGE
    const forward = query.after !== undefined
    const bound = query.after ?? query.before
    const rows = this.#scan(scan, bound === undefined ? undefined : { op: forward ? '>' : '<', id: bound }, forward, limit + 1)
    const more = rows.length > limit
    const page = rows.slice(0, limit)
    if (!forward) page.reverse()
    const other = bound !== undefined && this.#scan(scan, { op: forward ? '<=' : '>=', id: bound }, !forward, 1).length > 0
    return {
      lines: page.map((row) => toLogLine(row, scan.terms)),
      moreBefore: forward ? other : more,
      moreAfter: forward ? more : other
    }
  }

  /** Error groups, most recently seen first, each with the log line nearest its last occurrence. */
  errors(workspace?: string): ErrorGroup[] {
    const rows = (workspace === undefined ? this.#sql.allGroups.all() : this.#sql.workspaceGroups.all(workspace)) as GroupRow[]
    return rows.map(toErrorGroup)
  }

  errorGroup(workspace: string, fingerprint: string): ErrorGroup | undefined {
    const row = this.#sql.group.get(workspace, fingerprint) as GroupRow | undefined
    return row && toErrorGroup(row)
  }

  /**
   * The lines around an error group's last occurrence: anchored on the line it starts at (found by its message
   * among the lines logged before the error record, else the first line of its stack, else the nearest line),
   * and bounded by that line's run, so the lines of a restart minutes later are not shown as its context.
   * Undefined when the workspace has no such group.
   */
  errorContext(workspace: string, fingerprint: string, around = DEFAULT_CONTEXT): ErrorContext | undefined {
    const group = this.#sql.groupPlace.get(workspace, fingerprint) as { container: string; last_boot: string; last_seq: number; message: string; stack: string | null } | undefined
    if (!group) return undefined
    const recent = this.#sql.linesBefore.all(group.container, group.last_boot, group.last_seq, ANCHOR_SCAN) as LogRow[]
    const anchor = findAnchor(recent, [group.message, group.stack ?? '']) ?? recent[0]
    if (!anchor) return { lines: [] }
    const place = [group.container, group.last_boot, anchor.seq, anchor.run] as const
    const before = (this.#sql.runBefore.all(...place, around) as LogRow[]).reverse()
    const after = this.#sql.runAfter.all(...place, around) as LogRow[]
    return { lines: [...before, anchor, ...after].map((row) => toLogLine(row, undefined)), at: anchor.id }
  }

  /** The timeline, oldest first: the newest entries, or those before or after a row id. */
  events(query: EventsQuery): TimelineEvent[] {
    const where: string[] = []
    const args: unknown[] = []
    if (query.workspace !== undefined) add(where, args, 'workspace = ?', query.workspace)
    if (query.before !== undefined) add(where, args, 'id < ?', query.before)
    if (query.after !== undefined) add(where, args, 'id > ?', query.after)
    const forward = query.after !== undefined
    const rows = this.#sqlite
      .prepare(`SELECT * FROM history_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${forward ? 'ASC' : 'DESC'} LIMIT ?`)
      .all(...args, query.limit ?? DEFAULT_EVENT_PAGE) as EventRow[]
    if (!forward) rows.reverse()
    return rows.map(toTimelineEvent)
  }

  event(id: number): TimelineEvent | undefined {
    const row = this.#sql.event.get(id) as EventRow | undefined
    return row && toTimelineEvent(row)
  }

  /**
   * The app's state from its newest state record (the monitor itself says `unhealthy` when a ready app's port
   * stops answering, and `ready` when it answers again). Undefined before the monitor said anything. With
   * `container`, only that container's records count: a workspace made again under a name keeps the old one's
   * history, but not its app state (a replaced failed create would show the failed app as its own).
   */
  appStatus(workspace: string, container?: string): AppStatus | undefined {
    const latest = this.#sql.latestState.get({ workspace, container: container ?? null }) as { container: string; boot: string; ts: number; state: string } | undefined
    if (!latest) return undefined
    const state = AppStateName.catch('running').parse(latest.state)
    const restarts = this.#sql.restarts.get(latest.container, latest.boot) as { n: number }
    const crash = this.#sql.latestCrash.get({ workspace, container: container ?? null }) as { exit_code: number | null; signal: string | null; ts: number } | undefined
    const unread = this.#sql.unread.get(workspace) as { n: number }
    return {
      state,
      since: iso(latest.ts),
      restarts: restarts.n,
      ...(crash ? { lastExit: { code: crash.exit_code, signal: crash.signal, at: iso(crash.ts) } } : {}),
      unreadErrors: unread.n
    }
  }

  markSeen(workspace: string): void {
    this.#sql.markSeen.run(workspace)
  }

  /** The workspaces with stored history, removed ones too, by name. */
  workspaces(): string[] {
    return (this.#sql.workspaces.all() as { workspace: string }[]).map((row) => row.workspace)
  }

  #logScan(query: LogsQuery): LogScan | undefined {
    const where: string[] = []
    const args: unknown[] = []
    let terms: SearchTerm[] | undefined
    let from = 'log_lines l'
    if (query.query !== undefined) {
      const search = parseSearch(query.query)
      // Only punctuation: no token to look for, so nothing matches.
      if (search.fts === '') return undefined
      // CROSS JOIN keeps the full-text scan outside (newest match first, stopping at the page's end); given a
      // choice, SQLite walks the workspace's lines and probes the index for each, which is far slower.
      from = 'log_lines_fts f CROSS JOIN log_lines l ON l.id = f.rowid'
      where.push('log_lines_fts MATCH ?')
      args.push(search.fts)
      terms = search.terms
    }
    if (query.workspace !== undefined) add(where, args, 'l.workspace = ?', query.workspace)
    if (query.stream !== undefined) add(where, args, 'l.stream = ?', query.stream)
    // `+l.ts`: filter by time while the scan follows the id index (pages are in id order).
    if (query.since !== undefined) add(where, args, '+l.ts >= ?', Date.parse(query.since))
    if (query.until !== undefined) add(where, args, '+l.ts <= ?', Date.parse(query.until))
    if (query.workspace !== undefined) {
      this.#timeBounds(query, where, args)
      // The workspace's id range: the full-text scan (newest first) skips other workspaces' newer matches.
      if (terms) this.#idRange(query.workspace, where, args)
    }
    return { from, where, args, terms }
  }

  /**
   * A workspace's lines are stored in the order they were logged, so its time range is an id range: found on
   * the (workspace, ts) index, it keeps a scan for an old `until` from walking every newer line.
   */
  #timeBounds(query: LogsQuery, where: string[], args: unknown[]): void {
    if (query.since !== undefined) {
      const first = this.#sql.firstSince.get(query.workspace, Date.parse(query.since)) as
        | { id: number }
        | undefined
      add(where, args, 'l.id >= ?', first?.id ?? Number.MAX_SAFE_INTEGER)
    }
    if (query.until !== undefined) {
      const last = this.#sql.lastUntil.get(query.workspace, Date.parse(query.until)) as
        | { id: number }
        | undefined
      add(where, args, 'l.id <= ?', last?.id ?? 0)
    }
  }

  #idRange(workspace: string, where: string[], args: unknown[]): void {
    const first = this.#sql.firstId.get(workspace) as { id: number } | undefined
    const last = this.#sql.lastId.get(workspace) as { id: number } | undefined
    add(where, args, 'f.rowid >= ?', first?.id ?? 0)
    add(where, args, 'f.rowid <= ?', last?.id ?? 0)
  }

  #scan(scan: LogScan, bound: { op: string; id: number } | undefined, ascending: boolean, limit: number): LogRow[] {
    const key = scan.terms ? 'f.rowid' : 'l.id'
    const where = bound ? [...scan.where, `${key} ${bound.op} ?`] : scan.where
    const args = bound ? [...scan.args, bound.id] : scan.args
    const sql = `SELECT l.* FROM ${scan.from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${key} ${ascending ? 'ASC' : 'DESC'} LIMIT ?`
    return this.#sqlite.prepare(sql).all(...args, limit) as LogRow[]
  }
}

/** A line as the classifier read it: no colour codes, runs of spaces as one. */
const plain = (line: string): string => stripAnsi(line).replace(/\s+/g, ' ').trim()

/**
 * The newest line (rows newest first) that holds the first of `texts` found: an error's message line, or the
 * first line of its stack (a message the classifier rewrote, like npm's "code: text", is not printed as such).
 */
function findAnchor(rows: readonly LogRow[], texts: readonly string[]): LogRow | undefined {
  for (const text of texts) {
    const wanted = plain(text.split(/\r?\n/, 1)[0] ?? '')
    if (wanted === '') continue
    const row = rows.find((r) => plain(r.line).includes(wanted))
    if (row) return row
  }
  return undefined
}

function toLogLine(row: LogRow, terms: SearchTerm[] | undefined): LogLine {
  return {
    id: row.id,
    workspace: row.workspace,
    container: row.container,
    boot: row.boot,
    seq: row.seq,
    ts: iso(row.ts),
    stream: row.stream,
    line: row.line,
    run: row.run,
    truncated: row.truncated === 1,
    ...(terms ? { matches: matchRanges(row.line, terms) } : {})
  }
}

function toErrorGroup(row: GroupRow): ErrorGroup {
  return {
    workspace: row.workspace,
    fingerprint: row.fingerprint,
    category: row.category,
    severity: row.severity,
    message: row.message,
    ...(row.file === null ? {} : { file: row.file }),
    ...(row.line === null ? {} : { line: row.line }),
    ...(row.column === null ? {} : { column: row.column }),
    ...(row.stack === null ? {} : { stack: row.stack }),
    count: row.count,
    firstSeen: iso(row.first_seen),
    lastSeen: iso(row.last_seen),
    ...(row.log_id === null ? {} : { logId: row.log_id }),
    unread: row.unread === 1
  }
}

function toTimelineEvent(row: EventRow): TimelineEvent {
  const detail = row.detail === null ? {} : (JSON.parse(row.detail) as Record<string, unknown>)
  const state = (value: string | null) => (value === null ? null : AppStateName.catch('running').parse(value))
  return {
    id: row.id,
    workspace: row.workspace,
    container: row.container,
    boot: row.boot,
    ts: iso(row.ts),
    kind: row.kind,
    ...(row.kind === 'state' ? { state: state(row.state)!, from: state(row.from_state) } : {}),
    ...(row.kind === 'crash' ? { exitCode: row.exit_code, signal: row.signal } : {}),
    ...(row.delay_ms === null ? {} : { delayMs: row.delay_ms }),
    ...(row.attempt === null ? {} : { attempt: row.attempt }),
    ...(row.missed === null ? {} : { missed: row.missed }),
    ...(row.run === null ? {} : { run: row.run }),
    ...(typeof detail.ok === 'boolean' ? { ok: detail.ok } : {}),
    summary: row.summary
  }
}
