import { existsSync, readFileSync } from 'node:fs'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadApiToken, rotateApiToken } from '../core/api-token'
import { SandlotError } from '../core/sandlot-error'
import { wsProtocols } from '../core/contract/ws-transport'
import { startSandlotServer, type SandlotServer } from './sandlot-server'
import { makeRendererDir, openTempCore } from '../transport/test-support/temp-core'
import { closeCode, connect as connectTo, exchange, nextFrames, open as openTo, rawClient, type WsTarget } from './test-support/ws-clients'

let temp: ReturnType<typeof openTempCore>
let server: SandlotServer
let token: string
let origin: string

beforeEach(async () => {
  temp = openTempCore()
  token = loadApiToken(temp.core.paths.apiToken)
  server = await startSandlotServer({ api: temp.core.api, host: '127.0.0.1', port: 0, rendererDir: makeRendererDir(), token: () => loadApiToken(temp.core.paths.apiToken) })
  origin = `http://127.0.0.1:${server.port}`
})

afterEach(async () => {
  await server.close()
  temp.dispose()
})

const target = (): WsTarget => ({ port: server.port, origin, token })
const connect = (options?: Parameters<typeof connectTo>[1]) => connectTo(target(), options)
const open = () => openTo(target())

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * A handshake by hand, to see what the server does with a client that does not insist on the subprotocol
 * (the ws client and browsers give up on their own): the first frame back, a close frame, carries the code.
 */
function rawCloseCode(protocols: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port: server.port,
      path: '/ws',
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        Origin: origin,
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
        'Sec-WebSocket-Protocol': protocols.join(', ')
      }
    })
    req.on('upgrade', (_res, socket, head: Buffer) => {
      const read = (frame: Buffer): void => {
        socket.destroy()
        // Byte 0: FIN + opcode 8 (close); byte 1: payload length; then the status code, big-endian.
        if (frame[0] !== 0x88) reject(new Error(`expected a close frame, got byte ${frame[0]}`))
        else resolve(frame.readUInt16BE(2))
      }
      // The frame may have arrived with the handshake's answer.
      if (head.length > 0) read(head)
      else socket.once('data', read)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('HTTP', () => {
  it('serves the web app with the security headers', async () => {
    const page = await get('/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Sandlot</title>')
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['cache-control']).toBe('no-store')
    expect(page.headers['content-security-policy']).toBe(
      `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; ` +
        `connect-src ws://127.0.0.1:${server.port} ws://localhost:${server.port}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
    )
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers['x-frame-options']).toBe('DENY')

    const asset = await get('/assets/index-abc123.js')
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(asset.headers['cache-control']).toContain('immutable')
  })

  it('serves nothing outside the web app folder', async () => {
    for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fetc%2fpasswd', '/missing.js', '/assets']) {
      const answer = await get(path)
      expect(answer.status, path).toBe(404)
      expect(answer.headers['content-security-policy'], path).toContain("default-src 'none'")
    }
  })

  it('answers only to its own host names (no DNS rebinding) and only to GET and HEAD', async () => {
    expect((await get('/', { Host: 'evil.example' })).status).toBe(403)
    expect((await get('/', { Host: `evil.example:${server.port}` })).status).toBe(403)
    expect((await get('/', { Host: `localhost:${server.port}` })).status).toBe(200)
    const post = await get('/', {}, 'POST')
    expect(post.status).toBe(405)
    expect(post.headers.allow).toBe('GET, HEAD')
    const head = await get('/', {}, 'HEAD')
    expect([head.status, head.body]).toEqual([200, ''])
  })

  it('answers a request target that is not a URL with 400 and stays up', async () => {
    const client = await rawClient(server.port, `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`)
    await client.closed
    expect(client.received()).toMatch(/^HTTP\/1\.1 400 /)
    expect(client.received()).toContain("default-src 'none'")
    expect((await get('/')).status).toBe(200)
  })

  it('says clearly when the port is taken', async () => {
    const clash = startSandlotServer({ api: temp.core.api, host: '127.0.0.1', port: server.port, rendererDir: makeRendererDir(), token: () => token })
    await expect(clash).rejects.toThrowError(SandlotError)
    await expect(clash).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Port ${server.port} on 127.0.0.1 is already in use.`,
      hint: expect.stringContaining('--port 0')
    })
  })
})

describe('WebSocket auth', () => {
  it('accepts the right token from its own origin, selecting only the version subprotocol', async () => {
    const opened = await connect()
    expect(opened).toMatchObject({ protocol: 'sandlot.v1' })
    if ('socket' in opened) opened.socket.close()
  })

  it('closes a connection with a wrong or missing token with 4401', async () => {
    for (const protocols of [wsProtocols('0'.repeat(64)), wsProtocols(''), wsProtocols(token.toUpperCase()), ['sandlot.v1']]) {
      const opened = await connect({ protocols })
      if ('refused' in opened) throw new Error(`refused with ${opened.refused}`)
      expect(await closeCode(opened.socket)).toBe(4401)
    }
  })

  it('asks new connections for the rotated token at once, without a restart', async () => {
    const old = token
    token = rotateApiToken(temp.core.paths.apiToken)
    const stale = await connect({ protocols: wsProtocols(old) })
    if ('refused' in stale) throw new Error(`refused with ${stale.refused}`)
    expect(await closeCode(stale.socket)).toBe(4401)
    const fresh = await connect()
    expect(fresh).toMatchObject({ protocol: 'sandlot.v1' })
    if ('socket' in fresh) fresh.socket.close()
  })

  it('does not serve a client that does not speak this wire version, even with the token', async () => {
    await expect(connect({ protocols: [`sandlot.token.${token}`] })).rejects.toThrowError(/no subprotocol/)
    expect(await rawCloseCode([`sandlot.token.${token}`, 'sandlot.v0'])).toBe(1002)
    expect(await rawCloseCode(wsProtocols('0'.repeat(64)))).toBe(4401)
  })

  it('refuses other origins, foreign hosts and other paths before the handshake', async () => {
    expect(await connect({ origin: 'http://evil.example' })).toEqual({ refused: 403 })
    expect(await connect({ origin: `http://127.0.0.1:${server.port + 1}` })).toEqual({ refused: 403 })
    expect(await connect({ origin: 'null' })).toEqual({ refused: 403 })
    expect(await connect({ host: `evil.example:${server.port}` })).toEqual({ refused: 403 })
    expect(await connect({ path: '/other' })).toEqual({ refused: 404 })
  })
})

describe('WebSocket API', () => {
  it('answers requests through the real core and validates what comes in', async () => {
    const socket = await open()
    const settings = (): string | undefined => (existsSync(temp.core.paths.settings) ? readFileSync(temp.core.paths.settings, 'utf8') : undefined)
    const settingsBefore = settings()
    const replies = await exchange(socket, [
      { type: 'request', id: '1', method: 'engine.status', params: {} },
      { type: 'request', id: '2', method: 'settings.update', params: { appearance: { theme: 'neon' } } },
      { type: 'request', id: '3', method: 'does.not.exist', params: {} },
      'not json'
    ])
    const byId = Object.fromEntries(replies.map((reply) => ['id' in reply ? reply.id : '', reply]))
    expect(byId['1']).toMatchObject({ type: 'result', result: { state: expect.stringMatching(/^(connecting|unreachable)$/) } })
    expect(byId['2']).toMatchObject({ type: 'error', error: { code: 'BAD_REQUEST', hint: 'Nothing was changed.' } })
    expect(byId['3']).toMatchObject({ type: 'error', error: { code: 'BAD_REQUEST' } })
    expect(byId['-']).toMatchObject({ type: 'error', error: { code: 'BAD_REQUEST' } })
    expect(settings()).toBe(settingsBefore)
    socket.close()
  })

  it('changes settings on a valid update', async () => {
    const socket = await open()
    const [reply] = await exchange(socket, [{ type: 'request', id: 'u', method: 'settings.update', params: { appearance: { theme: 'dark' } } }])
    expect(reply).toMatchObject({ type: 'result', result: { settings: { appearance: { theme: 'dark' } } } })
    expect(JSON.parse(readFileSync(join(temp.home, 'settings.json'), 'utf8'))).toMatchObject({ appearance: { theme: 'dark' } })
    socket.close()
  })

  it('pushes engine status events to subscribers', async () => {
    const socket = await open()
    expect(await exchange(socket, [{ type: 'subscribe', id: 'engine', event: 'engine.status' }])).toEqual([{ type: 'result', id: 'engine', result: null }])
    const events = nextFrames(socket, 1)
    // Watching an engine that does not exist: the first check fails and the session reports it.
    temp.core.engine.watch()
    expect(await events).toEqual([
      { type: 'event', id: 'engine', event: 'engine.status', payload: expect.objectContaining({ state: 'unreachable', attempt: 0 }) }
    ])
    socket.close()
  })

  it('closes its clients with "going away" when it stops', async () => {
    const socket = await open()
    const code = closeCode(socket)
    await server.close()
    expect(await code).toBe(1001)
    server = await startSandlotServer({ api: temp.core.api, host: '127.0.0.1', port: 0, rendererDir: makeRendererDir(), token: () => token })
  })
})
