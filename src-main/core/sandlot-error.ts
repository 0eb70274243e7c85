import type { ErrorCode, ErrorInfo } from './contract'

/** An error a user can act on: a stable code, a message that says what happened and a hint that says what to do. */
export class SandlotError extends Error {
  readonly code: ErrorCode
  readonly hint: string | undefined

  constructor(code: ErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SandlotError'
    this.code = code
    this.hint = hint
  }
}

/** Any thrown value as contract error info; unexpected errors keep their message under INTERNAL. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof SandlotError) {
    return err.hint === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, hint: err.hint }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message, hint: 'This is a bug in Sandlot: please report it with the command you ran.' }
}
