import { z } from 'zod'
import { AppState, ErrorEntry, LogRecord, ProcessSpec, PublicSpec } from './protocol'

/**
 * Requests and responses on the monitor's unix socket: one JSON document per line each way,
 * answered in order. `monitor-cli --json` prints these results, so the host reads the same shapes.
 * No Node APIs here: the host imports it.
 */

/** Bounds of the in-memory buffers (see PROTOCOL.md "Memory"). */
export const LOG_BUFFER_LINES = 2000
export const ERROR_BUFFER_ENTRIES = 200

export const ControlRequest = z.discriminatedUnion('op', [
  z.object({ op: z.literal('process.start'), spec: ProcessSpec }),
  z.object({ op: z.literal('process.stop') }),
  z.object({ op: z.literal('process.restart') }),
  z.object({ op: z.literal('process.status') }),
  z.object({ op: z.literal('logs.tail'), lines: z.number().int().min(1).max(LOG_BUFFER_LINES).default(100) }),
  z.object({ op: z.literal('errors.list'), limit: z.number().int().min(1).max(ERROR_BUFFER_ENTRIES).default(50) }),
  z.object({ op: z.literal('health') })
])
export type ControlRequest = z.infer<typeof ControlRequest>
export type ControlRequestInput = z.input<typeof ControlRequest>

/** The preview port (PROTOCOL.md "Preview port"): the one container port the host publishes. */
export const PreviewStatus = z.object({
  /** The container port; connections to it are forwarded to the spec's `port` on 127.0.0.1 (or ::1). */
  port: z.number().int().min(0).max(65_535),
  /** False while the port cannot be bound (another process holds it); the monitor keeps retrying. */
  listening: z.boolean(),
  /** Client connections open through the preview port right now. */
  connections: z.number().int().min(0),
  /** When the last one was accepted (null: none in this boot); optional so that status from an older image still parses. */
  lastConnectionAt: z.string().nullable().optional()
})
export type PreviewStatus = z.infer<typeof PreviewStatus>

export const ProcessStatus = z.object({
  boot: z.string(),
  state: AppState,
  reason: z.string(),
  /** When the current state began. */
  since: z.string(),
  spec: PublicSpec.nullable(),
  /** App runs started in this boot; log, ready and crash records carry the run number. */
  run: z.number().int().min(0),
  pid: z.number().int().nullable(),
  startedAt: z.string().nullable(),
  readyAt: z.string().nullable(),
  /** Automatic restarts in the current backoff streak and within the policy window. */
  restarts: z.object({
    attempt: z.number().int(),
    inWindow: z.number().int(),
    nextAt: z.string().nullable(),
    /** Automatic restarts in this boot; optional so that status from an older image still parses. */
    total: z.number().int().min(0).optional()
  }),
  lastExit: z
    .object({ exitCode: z.number().int().nullable(), signal: z.string().nullable(), uptimeMs: z.number().int(), at: z.string() })
    .nullable(),
  health: z.object({ consecutiveFailures: z.number().int(), lastCheckAt: z.string().nullable() }),
  /**
   * The port the preview forwards to: the spec's, or the one the current run was found listening on when the
   * spec names none; null while neither is known. Optional so that status from an older image still parses.
   */
  appPort: z.object({ port: z.number().int().min(1).max(65_535), source: z.enum(['spec', 'found']) }).nullable().optional(),
  /** Always sent by this monitor; optional so that status from an older image still parses. */
  preview: PreviewStatus.optional()
})
export type ProcessStatus = z.infer<typeof ProcessStatus>

export const HealthResult = z.object({
  /** False when the app is "failed" or "unhealthy" (its port stopped answering); the monitor itself answered. */
  healthy: z.boolean(),
  state: AppState,
  reason: z.string()
})
export type HealthResult = z.infer<typeof HealthResult>

export const LogsResult = z.object({ lines: z.array(LogRecord), capacity: z.number().int() })
export type LogsResult = z.infer<typeof LogsResult>

export const ErrorsResult = z.object({ errors: z.array(ErrorEntry), distinct: z.number().int(), capacity: z.number().int() })
export type ErrorsResult = z.infer<typeof ErrorsResult>

export const ControlErrorCode = z.enum([
  'BAD_REQUEST', // the request failed validation or cannot apply (cwd missing); nothing changed
  'CONFLICT', // the request does not fit the current state (restart without a spec)
  'INTERNAL'
])
export type ControlErrorCode = z.infer<typeof ControlErrorCode>

export const ControlError = z.object({ code: ControlErrorCode, message: z.string() })
export type ControlError = z.infer<typeof ControlError>

export const ControlResponse = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: ControlError })
])
export type ControlResponse = z.infer<typeof ControlResponse>

/** Results by operation, for typed clients. */
export interface ControlResults {
  'process.start': ProcessStatus
  'process.stop': ProcessStatus
  'process.restart': ProcessStatus
  'process.status': ProcessStatus
  'logs.tail': LogsResult
  'errors.list': ErrorsResult
  health: HealthResult
}

export const ControlResultSchemas = {
  'process.start': ProcessStatus,
  'process.stop': ProcessStatus,
  'process.restart': ProcessStatus,
  'process.status': ProcessStatus,
  'logs.tail': LogsResult,
  'errors.list': ErrorsResult,
  health: HealthResult
} satisfies { [K in keyof ControlResults]: z.ZodType<ControlResults[K]> }

/** Error codes of `monitor-cli --json` documents: the control codes plus the CLI's own. */
export const CliErrorCode = z.enum([...ControlErrorCode.options, 'BAD_USAGE', 'MONITOR_UNREACHABLE'])
export type CliErrorCode = z.infer<typeof CliErrorCode>
export const CliErrorDocument = z.object({
  error: z.object({ code: CliErrorCode, message: z.string(), hint: z.string().optional() })
})
export type CliErrorDocument = z.infer<typeof CliErrorDocument>
