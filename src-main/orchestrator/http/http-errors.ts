import type { Context } from 'hono'
import type { ErrorInfo } from '../../core/contract'
import { SandlotError } from '../../core/sandlot-error'

/**
 * The orchestrator's error answers, shaped as the REST API's (`{ "error": { code, message, hint } }`) so a desktop
 * and the CLI read both the same way. Codes beyond the core's are the HTTP transport's own.
 */
export type OrchestratorErrorCode = ErrorInfo['code'] | 'UNAUTHORIZED' | 'FORBIDDEN' | 'TOO_LARGE' | 'NOT_FOUND'

export interface OrchestratorError {
  error: { code: OrchestratorErrorCode; message: string; hint?: string }
}

export function orchestratorError(code: OrchestratorErrorCode, message: string, hint?: string): OrchestratorError {
  return { error: { code, message, ...(hint === undefined ? {} : { hint }) } }
}

/**
 * A value PostgreSQL refuses (SQLSTATE class 22, data exception: a number out of range) is the sender's mistake:
 * 400, nothing stored. Anything else is the database's state (down, restarting): 503, so the desktop retries.
 */
export function databaseFailure(c: Context, err: unknown, onProblem: (message: string) => void): Response {
  if (err instanceof SandlotError) throw err
  const code = String((err as { code?: unknown }).code ?? (err as { cause?: { code?: unknown } }).cause?.code ?? '')
  const message = (err as { cause?: Error }).cause?.message ?? (err as Error).message
  if (code.startsWith('22')) {
    return c.json(orchestratorError('BAD_REQUEST', `The database refused a value of the batch: ${message}`, 'Nothing was stored: fix the batch and send it again.'), 400)
  }
  onProblem(`orchestrator: the database failed: ${message}`)
  return c.json(orchestratorError('DATABASE', `The database failed: ${message}`, 'Nothing was stored; send the batch again later.'), 503)
}
