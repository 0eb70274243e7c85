import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { SandlotError } from '../core/sandlot-error'
import { createOrchestratorApp } from './http/orchestrator-app'
import { isLoopback } from './http/proxy-policy'
import type { OrchestratorDb } from './store/database'

export interface OrchestratorServerOptions {
  db: OrchestratorDb
  host: string
  port: number
  tls?: { certFile: string; keyFile: string }
  behindProxy: boolean
  onProblem: (message: string) => void
}

export interface OrchestratorServer {
  url: string
  port: number
  close(): Promise<void>
}

/**
 * Why a listening setup is refused, or undefined. Tokens travel in every request: off this machine they need TLS,
 * from the orchestrator itself or from a proxy in front of it.
 */
export function listenPolicyProblem(options: Pick<OrchestratorServerOptions, 'host' | 'tls' | 'behindProxy'>): string | undefined {
  if (options.tls !== undefined && options.behindProxy) return 'Give either --tls-cert/--tls-key or --behind-proxy, not both.'
  if (isLoopback(options.host) || options.tls !== undefined || options.behindProxy) return undefined
  return `Listening on ${options.host} would send every token in the clear: off loopback the orchestrator needs TLS.`
}

export const TLS_HINT =
  'Give a certificate and its key (--tls-cert cert.pem --tls-key key.pem), or run it behind a TLS proxy on this machine with --behind-proxy (it then answers only requests the proxy forwards over HTTPS), or listen on 127.0.0.1.'

export async function startOrchestratorServer(options: OrchestratorServerOptions): Promise<OrchestratorServer> {
  const problem = listenPolicyProblem(options)
  if (problem !== undefined) throw new SandlotError('BAD_USAGE', problem, TLS_HINT)
  const app = createOrchestratorApp({
    db: options.db,
    behindProxy: options.behindProxy,
    peer: (c) => (c.env as { incoming?: { socket?: { remoteAddress?: string } } }).incoming?.socket?.remoteAddress,
    onProblem: options.onProblem
  })
  const listener = getRequestListener(app.fetch)
  const server: Server =
    options.tls === undefined ? createHttpServer(listener) : createHttpsServer({ cert: readTlsFile(options.tls.certFile, '--tls-cert'), key: readTlsFile(options.tls.keyFile, '--tls-key') }, listener)
  // Slow or stalled clients must not hold sockets for ever.
  server.requestTimeout = 60_000
  server.headersTimeout = 20_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new SandlotError('CONFLICT', `Port ${options.port} on ${options.host} is already in use.`, 'Stop what listens there, or choose another port with --port (0 picks a free one).', { cause: err })
          : new SandlotError('BAD_USAGE', `Cannot listen on ${options.host}:${options.port}: ${err.message}`, 'Check --host and --port.', { cause: err })
      )
    )
    server.listen({ host: options.host, port: options.port }, resolve)
  })
  const port = (server.address() as AddressInfo).port
  const literal = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://${literal}:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

function readTlsFile(file: string, option: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new SandlotError('BAD_USAGE', `Cannot read ${option} ${file}: ${(err as Error).message}`, 'Give the path of a PEM file you can read.', { cause: err })
  }
}
