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
