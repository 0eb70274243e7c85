import { connect } from 'node:net'
import { ControlResponse, ControlResultSchemas, type ControlErrorCode, type ControlRequestInput, type ControlResults } from './control-protocol'

/** The socket is missing, refuses connections, or closed without an answer. */
export class MonitorUnreachableError extends Error {
  constructor(
    readonly socketPath: string,
    readonly detail: string
  ) {
    super(`the Sandlot monitor is not reachable at ${socketPath} (${detail})`)
    this.name = 'MonitorUnreachableError'
  }
}

/** The monitor answered with an error. */
export class MonitorRequestError extends Error {
  constructor(
    readonly code: ControlErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'MonitorRequestError'
  }
}

type Op = keyof ControlResults

/** Errors of a socket whose monitor is still starting: nothing bound yet, or not listening yet. */
const NOT_UP_YET = new Set(['ENOENT', 'ECONNREFUSED'])
const RETRY_EVERY_MS = 100

/**
 * Runs `attempt` (a control request) again while the monitor is still starting, up to `startupWaitMs`: in a
 * container started a moment ago the monitor binds its socket a few hundred milliseconds later, seconds on a
 * loaded machine.
 */
export async function whileStarting<T>(attempt: () => Promise<T>, startupWaitMs: number): Promise<T> {
  const deadline = Date.now() + startupWaitMs
  for (;;) {
    try {
      return await attempt()
    } catch (error) {
      if (!(error instanceof MonitorUnreachableError) || !NOT_UP_YET.has(error.detail) || Date.now() >= deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS))
    }
  }
}

/** Sends one request and validates the answer. `timeoutMs` bounds the wait for queries. */
export function sendControlRequest<K extends Op>(
  socketPath: string,
  request: ControlRequestInput & { op: K },
  timeoutMs?: number
): Promise<ControlResults[K]> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath)
    let buffered = ''
    let settled = false
    const finish = (outcome: () => void) => {
      if (settled) return
      settled = true
      socket.destroy()
      outcome()
    }
    if (timeoutMs !== undefined) {
      socket.setTimeout(timeoutMs, () => finish(() => reject(new MonitorUnreachableError(socketPath, `no answer within ${timeoutMs} ms`))))
    }
    socket.setEncoding('utf8')
    socket.once('connect', () => socket.write(JSON.stringify(request) + '\n'))
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish(() => reject(new MonitorUnreachableError(socketPath, error.code ?? error.message)))
    )
    socket.on('close', () => finish(() => reject(new MonitorUnreachableError(socketPath, 'connection closed without an answer'))))
    socket.on('data', (chunk: string) => {
      buffered += chunk
      const newline = buffered.indexOf('\n')
      if (newline === -1) return
      finish(() => {
        try {
          resolve(readResponse(request.op, buffered.slice(0, newline)))
        } catch (error) {
          reject(error)
        }
      })
    })
  })
}

function readResponse<K extends Op>(op: K, line: string): ControlResults[K] {
  const response = ControlResponse.parse(JSON.parse(line))
  if (!response.ok) throw new MonitorRequestError(response.error.code, response.error.message)
  return ControlResultSchemas[op].parse(response.result) as ControlResults[K]
}
