import type { ErrorInfo } from '../../core/contract'

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
