import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { loadApiToken } from '../../src-main/core/api-token'
import { startSandlotServer, type SandlotServer } from '../../src-main/server/sandlot-server'
import { makeRendererDir, openTempCore } from '../../src-main/transport/test-support/temp-core'
import { BridgeError, type ConnectionState } from './bridge'
import { terminalInfo } from './terminal-fixture'
import { WsBridge, type SocketFactory, type SocketLike } from './ws-bridge'

// The renderer's bridge against the real server and a real core: what the browser does, minus the browser.
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function serve(temp: ReturnType<typeof openTempCore>, port = 0): Promise<SandlotServer> {
  const server = await startSandlotServer({
    api: temp.core.api,
    host: '127.0.0.1',
    port,
    rendererDir: makeRendererDir(),
    token: () => loadApiToken(temp.core.paths.apiToken)
  })
  cleanups.push(() => server.close())
  return server
}

function bridgeTo(server: SandlotServer, token: string): WsBridge {
  const origin = `http://127.0.0.1:${server.port}`
  // The `ws` client sends the Origin a browser would; its events carry the same fields the bridge reads.
  const connect: SocketFactory = (url, protocols) => new WebSocket(url, protocols, { origin }) as never
  const bridge = new WsBridge({ url: `ws://127.0.0.1:${server.port}/ws`, token, connect, backoff: { initialMs: 50, maxMs: 200 } })
  cleanups.push(() => bridge.stop())
  return bridge
}

function setup() {
  const temp = openTempCore()
  cleanups.push(() => temp.dispose())
  return { temp, token: loadApiToken(temp.core.paths.apiToken) }
}

async function until(bridge: WsBridge, state: ConnectionState['state']): Promise<ConnectionState> {
  if (bridge.connection().state === state) return bridge.connection()
  return new Promise((resolve) => {
    const stop = bridge.onConnection((next) => {
      if (next.state !== state) return
      stop()
      resolve(next)
    })
  })
}

describe('WebSocket bridge', () => {
  it('calls the core with typed, validated results', async () => {
    const { temp, token } = setup()
    const bridge = bridgeTo(await serve(temp), token)
    expect(bridge.connection()).toEqual({ state: 'connecting' })
    await until(bridge, 'open')
    const view = await bridge.call('settings.update', { appearance: { theme: 'light' } })
    expect(view.settings.appearance.theme).toBe('light')
  })

  it('turns the core’s errors into BridgeErrors with code and hint', async () => {
    const { temp, token } = setup()
    const bridge = bridgeTo(await serve(temp), token)
    await until(bridge, 'open')
    const failure = await bridge.call('settings.update', { appearance: { theme: 'neon' as 'dark' } }).catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(BridgeError)
    expect(failure).toMatchObject({ code: 'BAD_REQUEST', hint: 'Nothing was changed.' })
  })

  it('stops and shows the sign-in state when the token is refused', async () => {
    const { temp } = setup()
    const bridge = bridgeTo(await serve(temp), 'f'.repeat(64))
    await until(bridge, 'unauthorized')
    // It does not keep knocking.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(bridge.connection()).toEqual({ state: 'unauthorized' })
  })

  it('reconnects when the server comes back and keeps its subscriptions', async () => {
    const { temp, token } = setup()
    const first = await serve(temp)
    const bridge = bridgeTo(first, token)
    const seen: string[] = []
    bridge.subscribe('engine.status', (status) => seen.push(status.state))
    await until(bridge, 'open')

    const pending = bridge.call('engine.status', {})
    await first.close()
    const down = await until(bridge, 'disconnected')
    expect(down).toMatchObject({ state: 'disconnected', attempt: 1, nextAttemptAt: expect.any(Number) })
    // Whatever was in flight fails, and new calls fail at once, both saying why.
    await pending.then(
      () => undefined,
      (err: unknown) => expect(err).toMatchObject({ code: 'DISCONNECTED' })
    )
    await expect(bridge.call('engine.status', {})).rejects.toMatchObject({ code: 'NOT_SENT' })

    await serve(temp, first.port)
    await until(bridge, 'open')
    // The subscription was renewed on the new connection: the core's next status reaches it.
    temp.core.engine.watch()
    await expect.poll(() => seen, { timeout: 10_000 }).toContain('unreachable')
  })

  it('counts its attempts while the server stays away, and can retry at once', async () => {
    const { temp, token } = setup()
    const server = await serve(temp)
    const bridge = bridgeTo(server, token)
    await until(bridge, 'open')
    await server.close()
    await until(bridge, 'disconnected')
    await until(bridge, 'connecting')
    const second = await until(bridge, 'disconnected')
    expect(second).toMatchObject({ attempt: 2 })
    bridge.reconnectNow()
    expect(bridge.connection()).toEqual({ state: 'connecting' })
  })
})

/** A socket the test opens and drops by hand. */
class FakeSocket implements SocketLike {
  readyState = 0
  readonly sent: string[] = []
  onopen: (() => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number }) => void) | null = null
  onerror: (() => void) | null = null
  send(data: string): void {
    this.sent.push(data)
  }
  close(): void {
    this.drop()
  }
  open(): void {
    this.readyState = 1
    this.onopen?.()
  }
  drop(): void {
    this.readyState = 3
    this.onclose?.({ code: 1006 })
  }
}

describe('WebSocket bridge failures', () => {
  it('tells a call that never left from one whose answer was lost', async () => {
    const socket = new FakeSocket()
    const bridge = new WsBridge({ url: 'ws://127.0.0.1:1/ws', token: 't', connect: () => socket })
    cleanups.push(() => bridge.stop())

    await expect(bridge.call('engine.status', {})).rejects.toMatchObject({ code: 'NOT_SENT' })
    expect(socket.sent).toEqual([])

    socket.open()
    const inFlight = bridge.call('engine.status', {})
    expect(socket.sent).toHaveLength(1)
    socket.drop()
    await expect(inFlight).rejects.toMatchObject({ code: 'DISCONNECTED' })
  })
})

describe('WebSocket bridge streams', () => {
  it('routes stream frames to the attached terminal and attaches again after a reconnect', async () => {
    const sockets: FakeSocket[] = []
    const bridge = new WsBridge({
      url: 'ws://127.0.0.1:1/ws',
      token: 't',
      connect: () => {
        sockets.push(new FakeSocket())
        return sockets.at(-1)!
      },
      backoff: { initialMs: 1, maxMs: 1 }
    })
    cleanups.push(() => bridge.stop())
    sockets[0]!.open()
    const seen: string[] = []
    bridge.attachTerminal('tAAAA1', {
      attached: () => seen.push('attached'),
      data: (text) => seen.push(text),
      detached: () => seen.push('detached'),
      ended: () => seen.push('ended')
    })
    /** Answers the socket's last attach request with `stream`, then sends its screen. */
    const answerAttach = (socket: FakeSocket, stream: string): void => {
      const request = JSON.parse(socket.sent.at(-1)!) as { id: string; method: string; params: unknown }
      expect(request).toMatchObject({ method: 'terminals.attach', params: { id: 'tAAAA1' } })
      const terminal = terminalInfo()
      socket.onmessage?.({ data: JSON.stringify({ type: 'result', id: request.id, result: { stream, terminal } }) })
      socket.onmessage?.({ data: JSON.stringify({ type: 'stream.data', stream, data: `screen of ${stream}` }) })
    }
    answerAttach(sockets[0]!, 'x1')
    await expect.poll(() => seen).toEqual(['attached', 'screen of x1'])

    sockets[0]!.drop()
    await expect.poll(() => sockets.length).toBe(2)
    sockets[1]!.open()
    answerAttach(sockets[1]!, 'x2')
    await expect.poll(() => seen).toEqual(['attached', 'screen of x1', 'detached', 'attached', 'screen of x2'])
  })
})
