import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CoreApi } from '../core/api'
import { SandlotError } from '../core/sandlot-error'
import { getRequestListener } from '@hono/node-server'
import { createHttpHandler } from './http-handler'
import { requestPath, requestUrl } from './request-target'
import { createRestApp } from './rest/rest-app'
import { tokenReader } from './token-auth'
import { allowedHosts, allowedOrigins } from './listen-address'
import { contentSecurityPolicy, securityHeaders } from '../transport/security-headers'
import { createApiSockets } from './api-sockets'
import { createWsServer } from './ws-server'

export interface SandlotServerOptions {
  api: CoreApi
  /** A loopback address (see loopbackAddress). */
  host: string
  /** 0 picks a free port. */
  port: number
  rendererDir: string
  /** The current API token, read per connection and checked periodically, so `sandlot token rotate` applies without a restart. */
  token: () => string
  /** Where problems only the operator can fix (a broken token file) are reported; stderr by default. */
  onProblem?: (problem: string) => void
}

export interface SandlotServer {
  /** The app's address, without the token. */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/** `sandlot serve`'s server: the built web app over HTTP, the core API over a WebSocket and as REST routes under /api, on loopback only. */
export async function startSandlotServer(options: SandlotServerOptions): Promise<SandlotServer> {
  const server = createServer()
  await listen(server, options.host, options.port)
  const { port } = server.address() as AddressInfo
  const hosts = new Set(allowedHosts(options.host, port))
  const origins = new Set(allowedOrigins(options.host, port))
  const websockets = [...origins].map((origin) => origin.replace(/^http:/, 'ws:'))
  const headers = securityHeaders(contentSecurityPolicy({ connect: websockets }))
  const files = createHttpHandler({ rendererDir: options.rendererDir, hosts, headers })
  // One reader for both faces, so a broken token file is reported once, not once per face.
  const token = tokenReader(options.token, options.onProblem ?? console.error)
  const rest = getRequestListener(createRestApp({ api: options.api, token, hosts, origins }).fetch)
  // Listeners are attached before the event loop can deliver the first connection (it resumes after this task).
  server.on('request', (req, res) => {
    const path = requestPath(req)
    if (path === '/api' || path?.startsWith('/api/') || path?.startsWith('/health/')) void rest(req, res)
    else files(req, res)
  })
  const ws = createWsServer({ api: options.api, token, hosts, origins })
  const sockets = createApiSockets({ api: options.api, token, hosts, origins })
  server.on('upgrade', (req, socket, head) => {
    const url = requestUrl(req)
    if (url !== undefined && sockets.handles(url.pathname)) sockets.handleUpgrade(req, socket, head, url)
    else ws.handleUpgrade(req, socket, head)
  })

  return {
    url: `${[...origins][0]}/`,
    port,
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      await Promise.all([ws.close(), sockets.close()])
      server.closeAllConnections()
      await stopped
    }
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)))
    server.listen({ host, port }, () => resolve())
  })
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`
  if (err.code === 'EADDRINUSE') {
    return new SandlotError('CONFLICT', `Port ${port} on ${host} is already in use.`, `Stop what listens on ${where}, choose another port with --port <port>, or use --port 0 for any free port.`, { cause: err })
  }
  if (err.code === 'EACCES') {
    return new SandlotError('BAD_USAGE', `Not allowed to listen on ${where}.`, 'Ports below 1024 need privileges: choose a port above 1024, or --port 0 for any free port.', { cause: err })
  }
  if (err.code === 'EADDRNOTAVAIL') {
    return new SandlotError('BAD_USAGE', `The address ${host} is not available on this machine.`, 'Use --host 127.0.0.1 (the default).', { cause: err })
  }
  return err
}
