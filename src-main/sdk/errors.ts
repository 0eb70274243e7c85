/** An error answer of the Sandlot API: its stable code, what was wrong, what to do, and the HTTP status. */
export class SandlotApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string
  ) {
    super(hint === undefined ? message : `${message} ${hint}`)
    this.name = 'SandlotApiError'
  }
}
