import type { Severity } from './protocol'

/** What a JSON log line (pino, bunyan, winston, ECS, …) says, in one shape. */
export interface JsonLogEntry {
  /** Undefined below warning level (info, debug, …) and when the line names no level. */
  severity?: Severity
  message: string
  stack?: string
  code?: string
}

/** Cheap shape test before JSON.parse: a JSON log line is one object on one line. */
export function looksLikeJsonObject(line: string): boolean {
  const trimmed = line.trim()
  return trimmed.startsWith('{') && trimmed.endsWith('}')
}

/** Reads a JSON log line; undefined when the line is not a JSON object. */
export function readJsonLog(line: string): JsonLogEntry | undefined {
  let entry: unknown
  try {
    entry = JSON.parse(line)
  } catch {
    return undefined
  }
  if (!isObject(entry)) return undefined
  const error = [entry.err, entry.error, entry.exception].find(isObject)
  const message =
    firstString(entry.msg, entry.message, error?.message, typeof entry.error === 'string' ? entry.error : undefined) ?? line
  const result: JsonLogEntry = { message }
  const severity = levelOf(entry)
  if (severity) result.severity = severity
  const stack = firstString(error?.stack, entry.stack, entry.stack_trace, isObject(entry.error) ? entry.error.stack_trace : undefined)
  if (stack) result.stack = stack
  const code = firstString(error?.code, entry.code)
  if (code) result.code = code
  return result
}

function levelOf(entry: Record<string, unknown>): Severity | undefined {
  const level = entry.level ?? entry.lvl ?? entry.severity ?? entry.levelname ?? entry['log.level'] ?? nested(entry.log, 'level')
  // pino and bunyan: 40 warn, 50 error, 60 fatal.
  if (typeof level === 'number') return level >= 60 ? 'fatal' : level >= 50 ? 'error' : level >= 40 ? 'warning' : undefined
  if (typeof level !== 'string') return undefined
  const name = level.toLowerCase()
  if (['fatal', 'panic', 'critical', 'crit', 'emerg', 'emergency', 'alert'].includes(name)) return 'fatal'
  if (['error', 'err'].includes(name)) return 'error'
  if (['warn', 'warning'].includes(name)) return 'warning'
  return undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function nested(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '')
}
