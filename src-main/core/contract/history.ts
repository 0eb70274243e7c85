import { z } from 'zod'
import { OutputStream, Severity, Timestamp } from '../../../container/src/protocol'
import { AppStateName, AppStatus } from './app-status'
import { Workspace, WorkspaceName } from './workspace'

/**
 * The monitoring history: every record of every workspace's monitor, kept on the host (SQLite), exactly once.
 * The same queries serve the window, `sandlot serve` and the CLI; live events carry what is stored as it is.
 */
const RowId = z.number().int().min(1)

export { APP_STATE_TEXT, AppStateName, AppStatus, appStatusText } from './app-status'

/** Paging by row id, both ways: rows older than `before` (the next page back) or newer than `after` (following). */
const Paging = {
  before: RowId.optional(),
  // 0: from the first row (a stream resumed from the very start).
  after: z.number().int().min(0).optional()
}
const oneWay = (q: { before?: number | undefined; after?: number | undefined }): boolean => q.before === undefined || q.after === undefined
const ONE_WAY = 'give before or after, not both'

export const LogLine = z.object({
  id: RowId,
  workspace: z.string(),
  container: z.string(),
  boot: z.string(),
  seq: z.number().int().min(0),
  ts: Timestamp,
  stream: OutputStream,
  line: z.string(),
  run: z.number().int().min(1),
  truncated: z.boolean(),
  /** With a full-text query: [start, end) character ranges of the matches within `line`. */
  matches: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])).optional()
})
export type LogLine = z.infer<typeof LogLine>

export const LogsQuery = z
  .object({
    workspace: WorkspaceName.optional(),
    /**
     * Full-text search over the lines without their colour codes: words (case-insensitive, whole words),
     * "quoted phrases", prefix* and AND / OR / NOT between them; every word must match when no operator is
     * given. Punctuation inside a word splits it (`main.js` finds the phrase "main js").
     */
    query: z.string().trim().min(1).max(500).optional(),
    stream: OutputStream.optional(),
    /** By the record's time, inclusive. */
    since: Timestamp.optional(),
    until: Timestamp.optional(),
    /** Paging (see Paging); the newest page when neither. */
    ...Paging,
    limit: z.number().int().min(1).max(5000).optional()
  })
  .strict()
  .refine(oneWay, ONE_WAY)
export type LogsQuery = z.infer<typeof LogsQuery>

export const LogsPage = z.object({
  /** Oldest first. */
  lines: z.array(LogLine),
  moreBefore: z.boolean(),
  moreAfter: z.boolean()
})
export type LogsPage = z.infer<typeof LogsPage>

/** One distinct error of a workspace (grouped by the monitor's fingerprint), with every occurrence counted. */
export const ErrorGroup = z.object({
  workspace: z.string(),
  fingerprint: z.string(),
  category: z.string(),
  severity: Severity,
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  stack: z.string().optional(),
  count: z.number().int().min(1),
  firstSeen: Timestamp,
  lastSeen: Timestamp,
  /** The log line nearest the last occurrence, to show the lines around it. */
  logId: RowId.optional(),
  unread: z.boolean()
})
export type ErrorGroup = z.infer<typeof ErrorGroup>

/** An error's occurrence among the lines of its run, for context. */
export const ErrorContext = z.object({
  /** Oldest first, all of the same run as the error (a restart's lines are not its context). */
  lines: z.array(LogLine),
  /** The line the error starts at (its message's line as printed), or the nearest line before the error record. */
  at: RowId.optional()
})
export type ErrorContext = z.infer<typeof ErrorContext>

export const ErrorContextQuery = z
  .object({
    workspace: WorkspaceName,
    fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'a fingerprint is 16 hex digits (see `sandlot errors NAME --json`)'),
    /** Lines wanted on each side of the error's line. */
    around: z.number().int().min(1).max(50).optional()
  })
  .strict()
export type ErrorContextQuery = z.infer<typeof ErrorContextQuery>

const TimelineKind = z.enum(['state', 'ready', 'crash', 'restart', 'health', 'port', 'spec', 'gap', 'idle-stop'])

/** One entry of a workspace's timeline: what the monitor did and saw, and holes in what reached the host. */
export const TimelineEvent = z.object({
  id: RowId,
  workspace: z.string(),
  container: z.string(),
  boot: z.string(),
  ts: Timestamp,
  kind: TimelineKind,
  /** For state changes: the state entered (and left). */
  state: AppStateName.optional(),
  from: AppStateName.nullable().optional(),
  exitCode: z.number().int().nullable().optional(),
  signal: z.string().nullable().optional(),
  /** restart: the delay before it and its place in the backoff streak. */
  delayMs: z.number().int().optional(),
  attempt: z.number().int().optional(),
  /** gap: how many records never reached the host. */
  missed: z.number().int().optional(),
  /** The app's run (1 for the first process of a boot) the entry belongs to. */
  run: z.number().int().optional(),
  /** health: whether the check passed. */
  ok: z.boolean().optional(),
  /** One line saying what happened, for lists. */
  summary: z.string()
})
export type TimelineEvent = z.infer<typeof TimelineEvent>

export const EventsQuery = z
  .object({
    workspace: WorkspaceName.optional(),
    /** Paging (see Paging); the newest entries when neither. Oldest first. */
    ...Paging,
    limit: z.number().int().min(1).max(1000).optional()
  })
  .strict()
  .refine(oneWay, ONE_WAY)
export type EventsQuery = z.infer<typeof EventsQuery>

export const historyMethods = {
  /** Stored log lines, paged both ways. A CLI process first stores what the containers logged since the last stored record. */
  'history.logs': { params: LogsQuery, result: LogsPage },
  /** Error groups, most recently seen first. */
  'history.errors': { params: z.object({ workspace: WorkspaceName.optional() }).strict(), result: z.array(ErrorGroup) },
  /** The lines around an error group's last occurrence, within its run. */
  'history.errorContext': { params: ErrorContextQuery, result: ErrorContext },
  /** The timeline, oldest first (up to `limit`, default 200: the newest ones unless paging). */
  'history.events': { params: EventsQuery, result: z.array(TimelineEvent) },
  /** The names of the workspaces with stored history, removed ones too (their history outlives `sandlot rm`), sorted. */
  'history.workspaces': { params: z.object({}).strict(), result: z.array(z.string()) },
  /** The user looked at a workspace's errors: its unread count goes to 0. */
  'history.markSeen': { params: z.object({ workspace: WorkspaceName }).strict(), result: z.object({ workspace: z.string() }) }
} as const

export const historyEvents = {
  /**
   * Newly stored log lines of one workspace, batched (about four a second at most per workspace). Under a flood
   * only the newest lines of a batch are sent: `dropped` says how many were stored but left out (page them in
   * with `history.logs`).
   */
  'history.logs': z.object({ workspace: z.string(), lines: z.array(LogLine), dropped: z.number().int().min(0).optional() }),
  /** A timeline entry was stored; `app` is the workspace's app status once the batch it came in is stored. */
  'history.events': z.object({ workspace: z.string(), event: TimelineEvent, app: AppStatus }),
  /** An error group was created or counted up. */
  'history.errors': z.object({ workspace: z.string(), error: ErrorGroup }),
  /**
   * A workspace changed: created, removed (no `workspace`), its container started or stopped, or its app's
   * state moved. The window's list updates from this instead of polling.
   */
  'workspaces.changed': z.object({ name: z.string(), workspace: Workspace.optional() })
} as const
