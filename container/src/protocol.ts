import { z } from 'zod'

/**
 * The monitor's record stream (container → host) and the process spec: the single source of these
 * types. The host imports this file, so it must stay free of Node APIs (zod only).
 * Human documentation with an example of every record: container/PROTOCOL.md.
 */

export const PROTOCOL_VERSION = 1 as const

export const AppState = z.enum([
  'idle', // no spec yet
  'starting', // spawned, waiting for a readiness signal
  'running', // alive, readiness not (yet) known: no check configured or the startup grace period passed
  'ready', // the port answered or the ready pattern matched
  'unhealthy', // was ready; its port stopped answering health checks (back to ready when it answers)
  'stopping', // SIGTERM sent to the process group
  'stopped', // stopped on request, or exited cleanly under a policy that does not restart it
  'crashed', // exited unexpectedly; the restart policy decides next
  'backing-off', // waiting before an automatic restart
  'failed' // the monitor gave up; only a request starts it again
])
export type AppState = z.infer<typeof AppState>

export const ErrorCategory = z.enum([
  'syntax', // syntax or compile errors (parsers, bundlers)
  'typescript', // type errors reported by tsc (TS1234 codes)
  'module-not-found',
  'runtime', // exceptions, usually with a stack
  'port-in-use',
  'out-of-memory',
  'network',
  'dependency-install', // npm, pnpm, yarn, node-gyp
  'other' // an error or warning that fits no category above (generic ERROR lines, JSON logs)
])
export type ErrorCategory = z.infer<typeof ErrorCategory>

export const Severity = z.enum(['warning', 'error', 'fatal'])
export type Severity = z.infer<typeof Severity>

export const OutputStream = z.enum(['stdout', 'stderr'])
export type OutputStream = z.infer<typeof OutputStream>

// ---------------------------------------------------------------------------------------------
// The process spec: what the monitor runs. Fields with defaults may be left out by clients.

const Millis = z.number().int().min(0).max(24 * 3600_000)
const PositiveMillis = Millis.min(1)

/** on-failure: restart after a non-zero exit or a signal; always: also after exit code 0. */
export const RestartPolicyName = z.enum(['on-failure', 'always', 'never'])

export const RestartPolicy = z.object({
  policy: RestartPolicyName.default('on-failure'),
  initialDelayMs: Millis.default(1000),
  factor: z.number().min(1).max(10).default(2),
  maxDelayMs: Millis.default(30_000),
  /** Each delay is scaled by a random factor in [1 - jitter, 1 + jitter], so restarts of many sandboxes spread out. */
  jitter: z.number().min(0).max(1).default(0.2),
  /** Give up ("failed") when this many automatic restarts already happened within `windowMs`. */
  maxRestarts: z.number().int().min(0).max(1000).default(5),
  windowMs: PositiveMillis.default(60_000),
  /** A run that lasted this long resets the backoff to `initialDelayMs`. */
  stableAfterMs: PositiveMillis.default(30_000)
})
export type RestartPolicy = z.infer<typeof RestartPolicy>

export const ReadinessSpec = z.object({
  /** After this long without a readiness signal the state becomes "running" (still waiting; not killed). */
  startupGraceMs: PositiveMillis.default(60_000),
  /** How often the port is tried while waiting for readiness. */
  pollIntervalMs: PositiveMillis.default(500)
})
export type ReadinessSpec = z.infer<typeof ReadinessSpec>

export const HealthSpec = z.object({
  /** Port checks after ready; only when the spec has a port. */
  intervalMs: PositiveMillis.default(5000),
  timeoutMs: PositiveMillis.default(2000),
  /** Consecutive failed checks that turn the state to "unhealthy" (a success turns it back to "ready"). */
  failureThreshold: z.number().int().min(1).max(100).default(2),
  /**
   * Consecutive failed checks after which the monitor restarts the app; null (default): never. Dev servers
   * that watch their files recover by themselves once the file is fixed, where a restart cannot help.
   */
  restartAfterFailures: z.number().int().min(1).max(1000).nullable().default(null)
})
export type HealthSpec = z.infer<typeof HealthSpec>

/**
 * A Host name the preview answers besides its loopback names: `name`, `*.suffix` (any name under it), an IPv4
 * address, `[IPv6]`, or `*` (any Host: the check is off). Compared case-insensitively, without the port.
 */
export const PreviewHost = z
  .string()
  .max(253)
  .regex(
    /^(?:\*|(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/i,
    'a preview host is a name (app.test), a wildcard (*.app.test), an IP address ([::1] for IPv6) or *, without a port'
  )
  .transform((host) => host.toLowerCase())

export const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits and _, not starting with a digit')

const ReadyPattern = z
  .string()
  .min(1)
  .max(1000)
  .refine(isValidRegExp, 'readyPattern is not a valid regular expression')

export const ProcessSpec = z.object({
  /** Run by `bash -c` (or `sh -c` where bash is missing) in its own process group. */
  command: z.string().min(1).max(16_384),
  /** Absolute; defaults to the monitor's working directory (/app in the image). */
  cwd: z.string().startsWith('/', 'cwd must be an absolute path').max(4096).optional(),
  port: z.number().int().min(1).max(65_535).optional(),
  /**
   * Matched case-insensitively against each output line (ANSI escapes removed).
   * Left out: the built-in patterns (Vite, Next.js, "listening on", …); null: no pattern.
   */
  readyPattern: ReadyPattern.nullable().optional(),
  env: z.record(EnvName, z.string().max(65_536)).default({}),
  restart: RestartPolicy.prefault({}),
  readiness: ReadinessSpec.prefault({}),
  health: HealthSpec.prefault({}),
  /** SIGTERM to the process group, SIGKILL after this long. */
  stopTimeoutMs: PositiveMillis.default(5000),
  /**
   * More Host names the preview port answers (PROTOCOL.md "Preview port"): by default only localhost,
   * 127.0.0.1 and [::1], on any port, which keeps web pages from reading the app through DNS rebinding.
   */
  previewHosts: z.array(PreviewHost).max(64).default([])
})
/** A complete spec, defaults applied. */
export type ProcessSpec = z.infer<typeof ProcessSpec>
/** What clients send: fields with defaults may be left out. */
export type ProcessSpecInput = z.input<typeof ProcessSpec>

/** A spec as records and status show it: environment values stay inside the container. */
export const PublicSpec = ProcessSpec.omit({ env: true }).extend({ envKeys: z.array(EnvName) })
export type PublicSpec = z.infer<typeof PublicSpec>

export function toPublicSpec(spec: ProcessSpec): PublicSpec {
  const { env, ...rest } = spec
  return { ...rest, envKeys: Object.keys(env).sort() }
}

function isValidRegExp(source: string): boolean {
  try {
    new RegExp(source, 'i')
    return true
  } catch {
    return false
  }
}

// ---------------------------------------------------------------------------------------------
// Records

export const Timestamp = z.iso.datetime({ offset: true })
const Run = z.number().int().min(1)

/** One distinct error as the monitor keeps it: repeated occurrences share the fingerprint and count up. */
export const ErrorEntry = z.object({
  category: ErrorCategory,
  severity: Severity,
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().min(0).optional(),
  column: z.number().int().min(0).optional(),
  /** The whole grouped output (stack trace, code frame), capped. */
  stack: z.string().optional(),
  stream: OutputStream,
  /** Stable across timestamps, ports, hashes and other varying numbers. */
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  count: z.number().int().min(1),
  firstSeen: Timestamp,
  lastSeen: Timestamp
})
export type ErrorEntry = z.infer<typeof ErrorEntry>

const Envelope = {
  v: z.literal(PROTOCOL_VERSION),
  /** Random per monitor start: (container, boot, seq) is the host's dedupe key. */
  boot: z.string().min(8).max(64),
  /** Consecutive from 0 within a boot: a gap means lost records. */
  seq: z.number().int().min(0),
  ts: Timestamp
}

export const LogRecord = z.object({
  ...Envelope,
  type: z.literal('log'),
  stream: OutputStream,
  line: z.string(),
  /** Present when the line was longer than the cap and was cut. */
  truncated: z.literal(true).optional(),
  run: Run
})

export const StateRecord = z.object({
  ...Envelope,
  type: z.literal('state'),
  /** null on the first record of a boot. */
  from: AppState.nullable(),
  to: AppState,
  reason: z.string(),
  run: Run.optional(),
  pid: z.number().int().positive().optional()
})

export const ErrorRecord = z.object({ ...Envelope, type: z.literal('error'), ...ErrorEntry.shape, run: Run })

export const CrashRecord = z.object({
  ...Envelope,
  type: z.literal('crash'),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  uptimeMs: z.number().int().min(0),
  run: Run,
  /** The last error seen in this run's output, if any: usually the cause. */
  lastError: z.object({ fingerprint: z.string(), category: ErrorCategory, message: z.string() }).optional()
})

export const RestartRecord = z.object({
  ...Envelope,
  type: z.literal('restart'),
  /** 1-based position in the current backoff streak. */
  attempt: z.number().int().min(1),
  delayMs: z.number().int().min(0),
  reason: z.string()
})

export const ReadyRecord = z.object({
  ...Envelope,
  type: z.literal('ready'),
  via: z.enum(['port', 'pattern']),
  port: z.number().int().optional(),
  /** The output line that matched, for `via: "pattern"`. */
  line: z.string().optional(),
  /** From spawn to readiness. */
  elapsedMs: z.number().int().min(0),
  run: Run
})

export const HealthRecord = z.object({
  ...Envelope,
  type: z.literal('health'),
  ok: z.boolean(),
  port: z.number().int(),
  consecutiveFailures: z.number().int().min(0),
  run: Run
})

/** A spec without a port: the port the app was found listening on (its process tree's listening sockets). */
export const PortRecord = z.object({
  ...Envelope,
  type: z.literal('port'),
  port: z.number().int().min(1).max(65_535),
  run: Run
})

export const SpecRecord = z.object({
  ...Envelope,
  type: z.literal('spec'),
  /** start: a client set it; resume: loaded from the container's disk at monitor start. */
  source: z.enum(['start', 'resume']),
  spec: PublicSpec
})

export const MonitorRecord = z.discriminatedUnion('type', [
  LogRecord,
  StateRecord,
  ErrorRecord,
  CrashRecord,
  RestartRecord,
  ReadyRecord,
  HealthRecord,
  PortRecord,
  SpecRecord
])
export type MonitorRecord = z.infer<typeof MonitorRecord>
export type RecordType = MonitorRecord['type']
export type LogRecord = z.infer<typeof LogRecord>
export type StateRecord = z.infer<typeof StateRecord>
export type ErrorRecord = z.infer<typeof ErrorRecord>
export type CrashRecord = z.infer<typeof CrashRecord>
export type RestartRecord = z.infer<typeof RestartRecord>
export type ReadyRecord = z.infer<typeof ReadyRecord>
export type HealthRecord = z.infer<typeof HealthRecord>
export type PortRecord = z.infer<typeof PortRecord>
export type SpecRecord = z.infer<typeof SpecRecord>

export class MonitorRecordError extends Error {
  constructor(
    message: string,
    readonly reason: 'json' | 'version' | 'schema'
  ) {
    super(message)
    this.name = 'MonitorRecordError'
  }
}

const LOG_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/

/**
 * `log` records are nearly every record a container sends, and the zod schema costs more than the rest of the
 * host's ingest: this checks a parsed `log` record by hand against LogRecord's rules (kept next to it, change
 * both together) and builds it with only its known fields, as zod would. Anything else, or anything that does
 * not pass, returns undefined and goes through the schema, which gives the exact reason. Exported for its test.
 */
export function fastLogRecord(value: unknown): LogRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const r = value as Record<string, unknown>
  if (r.type !== 'log' || r.v !== PROTOCOL_VERSION) return undefined
  const { boot, seq, ts, stream, line, truncated, run } = r
  if (typeof boot !== 'string' || boot.length < 8 || boot.length > 64) return undefined
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) return undefined
  if (typeof ts !== 'string' || !LOG_TIME.test(ts) || Number.isNaN(Date.parse(ts))) return undefined
  if (stream !== 'stdout' && stream !== 'stderr') return undefined
  if (typeof line !== 'string') return undefined
  if (truncated !== undefined && truncated !== true) return undefined
  if (!Number.isSafeInteger(run) || (run as number) < 1) return undefined
  const record: LogRecord = { v: PROTOCOL_VERSION, boot, seq: seq as number, ts, type: 'log', stream, line, run: run as number }
  if (truncated === true) record.truncated = true
  return record
}

/**
 * Parses one line of a monitor's output. Throws MonitorRecordError: for a line that is not a JSON
 * object, for a protocol version this build does not know (checked first, so a newer monitor
 * yields "upgrade" rather than a pile of schema complaints), and for any schema violation.
 */
export function parseMonitorRecord(line: string): MonitorRecord {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    throw new MonitorRecordError(`not a monitor record (not JSON): ${line.slice(0, 120)}`, 'json')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MonitorRecordError('not a monitor record: expected a JSON object', 'json')
  }
  const fast = fastLogRecord(value)
  if (fast) return fast
  const version = (value as { v?: unknown }).v
  if (version !== PROTOCOL_VERSION) {
    throw new MonitorRecordError(
      `unsupported monitor record version ${JSON.stringify(version ?? null)}: this build reads version ${PROTOCOL_VERSION}; ` +
        'the container runs a monitor from a different Sandlot release (rebuild the image or upgrade Sandlot)',
      'version'
    )
  }
  const parsed = MonitorRecord.safeParse(value)
  if (!parsed.success) {
    throw new MonitorRecordError(`invalid monitor record: ${z.prettifyError(parsed.error)}`, 'schema')
  }
  return parsed.data
}
