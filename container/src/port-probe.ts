import { connect } from 'node:net'

/** True when something accepts a TCP connection on the port within the timeout. */
export type PortProbe = (port: number, timeoutMs: number) => Promise<boolean>

/**
 * Tries 127.0.0.1, then ::1: dev servers that listen on "localhost" bind only one of the two
 * depending on the resolver's order, and either means the app is up.
 */
export const probeLocalPort: PortProbe = async (port, timeoutMs) =>
  (await connects('127.0.0.1', port, timeoutMs)) || (await connects('::1', port, timeoutMs))

function connects(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const finish = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => finish(false))
    socket.once('connect', () => finish(true))
    socket.once('error', () => finish(false))
  })
}
