import type { ControlErrorCode } from './control-protocol'

/** A control request the monitor refuses; nothing changed. The socket answers with its code and message. */
export class RequestError extends Error {
  constructor(
    readonly code: ControlErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'RequestError'
  }
}
