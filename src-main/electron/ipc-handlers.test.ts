import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { Settings, type EngineStatus, type ServerMessage, type SettingsView } from '../core/contract'
import { fakeCoreApi, fakeEventSource } from '../transport/test-support/fake-core-api'
import { IPC_MESSAGE, IPC_REQUEST } from './ipc-channels'
import { isTrustedSender, registerIpcHandlers, type IpcEvent, type IpcMainLike, type Sender } from './ipc-handlers'
import { APP_ORIGIN, isAppUrl, rendererSource } from './renderer-source'

const source = rendererSource({ isPackaged: true, devServerUrl: undefined, bundleDir: '/app/out/renderer' })
const trusted = (url: string): boolean => isAppUrl(url, source)
const view: SettingsView = { settings: Settings.parse({}), problems: [], file: '/tmp/settings.json' }
const status: EngineStatus = { state: 'connecting', endpoint: { kind: 'unix', url: 'unix:///s', source: 'default' }, since: '2025-01-01T00:00:00.000Z' }

/** Electron's ipcMain, faked at its boundary: handlers are called the way Electron calls them. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcEvent, payload: unknown) => unknown>()
  readonly listeners = new Map<string, (event: IpcEvent, payload: unknown) => void>()
  handle(channel: string, listener: (event: IpcEvent, payload: unknown) => unknown): void {
    this.handlers.set(channel, listener)
  }
  on(channel: string, listener: (event: IpcEvent, payload: unknown) => void): void {
    this.listeners.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  removeAllListeners(channel: string): void {
    this.listeners.delete(channel)
  }
  /** ipcRenderer.invoke: a thrown error rejects the renderer's promise. */
  async invoke(event: IpcEvent, payload: unknown): Promise<unknown> {
    return this.handlers.get(IPC_REQUEST)?.(event, payload)
  }
  send(event: IpcEvent, payload: unknown): void {
    this.listeners.get(IPC_MESSAGE)?.(event, payload)
  }
}

class FakeSender extends EventEmitter implements Sender {
  static next = 1
  readonly id = FakeSender.next++
  readonly sent: ServerMessage[] = []
  destroyed = false
  send(_channel: string, message: ServerMessage): void {
    this.sent.push(message)
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
}

function eventFrom(sender: FakeSender, url: string, parent: unknown = null): IpcEvent {
  return { sender, senderFrame: { url, parent } }
}

function setup() {
  const ipc = new FakeIpcMain()
  const engine = fakeEventSource<EngineStatus>()
  const update = vi.fn(() => view)
  const api = fakeCoreApi({ 'engine.status': () => status, 'settings.update': update }, { 'engine.status': engine.source })
  const unregister = registerIpcHandlers(ipc, api, trusted)
  return { ipc, engine, update, unregister }
}

describe('IPC sender check', () => {
  it('trusts only the app page in a top frame', () => {
    const sender = new FakeSender()
    expect(isTrustedSender(eventFrom(sender, `${APP_ORIGIN}/index.html`), trusted)).toBe(true)
    expect(isTrustedSender(eventFrom(sender, `${APP_ORIGIN}/index.html#/x`), trusted)).toBe(true)
    expect(isTrustedSender(eventFrom(sender, `${APP_ORIGIN}/index.html`, { url: 'parent' }), trusted)).toBe(false)
    expect(isTrustedSender({ sender, senderFrame: null }, trusted)).toBe(false)
    for (const url of ['https://example.com/', 'file:///app/out/renderer/index.html', 'sandlot://other/index.html', 'http://localhost:5173/', 'about:blank', 'not a url']) {
      expect(isTrustedSender(eventFrom(sender, url), trusted), url).toBe(false)
    }
  })
})

describe('IPC handlers', () => {
  it('answers a valid request from the app', async () => {
    const { ipc } = setup()
    const reply = await ipc.invoke(eventFrom(new FakeSender(), `${APP_ORIGIN}/index.html`), { type: 'request', id: 'r1', method: 'engine.status', params: {} })
    expect(reply).toEqual({ type: 'result', id: 'r1', result: status })
  })

  it('refuses requests from any other page, without running anything', async () => {
    const { ipc, update } = setup()
    const request = { type: 'request', id: 'r1', method: 'settings.update', params: { appearance: { theme: 'dark' } } }
    await expect(ipc.invoke(eventFrom(new FakeSender(), 'https://evil.example/'), request)).rejects.toThrowError(/not the Sandlot app/)
    await expect(ipc.invoke(eventFrom(new FakeSender(), `${APP_ORIGIN}/index.html`, {}), request)).rejects.toThrowError(/not the Sandlot app/)
    expect(update).not.toHaveBeenCalled()
  })

  it('validates payloads against the contract: bad ones get an error reply and change nothing', async () => {
    const { ipc, update } = setup()
    const event = eventFrom(new FakeSender(), `${APP_ORIGIN}/index.html`)
    const replies = await Promise.all([
      ipc.invoke(event, { type: 'request', id: 'a', method: 'settings.update', params: { appearance: { theme: 'neon' } } }),
      ipc.invoke(event, { type: 'request', id: 'b', method: 'shell.exec', params: { command: 'rm -rf /' } }),
      ipc.invoke(event, { type: 'subscribe', id: 'c', event: 'engine.status' }),
      ipc.invoke(event, 'garbage'),
      ipc.invoke(event, undefined)
    ])
    expect(replies.map((reply) => (reply as { type: string; id: string }).type + ':' + (reply as { id: string }).id)).toEqual([
      'error:a',
      'error:b',
      'error:c',
      'error:-',
      'error:-'
    ])
    expect(update).not.toHaveBeenCalled()
  })

  it('delivers subscribed events to the subscribing window only', () => {
    const { ipc, engine } = setup()
    const app = new FakeSender()
    const stranger = new FakeSender()
    ipc.send(eventFrom(app, `${APP_ORIGIN}/index.html`), { type: 'subscribe', id: 's1', event: 'engine.status' })
    ipc.send(eventFrom(stranger, 'https://evil.example/'), { type: 'subscribe', id: 's1', event: 'engine.status' })
    ipc.send(eventFrom(app, `${APP_ORIGIN}/index.html`), { type: 'subscribe', event: 'engine.status' })
    engine.emit(status)
    expect(app.sent).toEqual([
      { type: 'result', id: 's1', result: null },
      { type: 'error', id: '-', error: expect.objectContaining({ code: 'BAD_REQUEST' }) },
      { type: 'event', id: 's1', event: 'engine.status', payload: status }
    ])
    expect(stranger.sent).toEqual([])
    expect(engine.listeners.size).toBe(1)
  })

  it('ends a window’s subscriptions when its page reloads or the window goes away', () => {
    const { ipc, engine } = setup()
    const window = new FakeSender()
    const subscribe = (): void => ipc.send(eventFrom(window, `${APP_ORIGIN}/index.html`), { type: 'subscribe', id: 's1', event: 'engine.status' })
    subscribe()
    window.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true })
    expect(engine.listeners.size).toBe(1)
    window.emit('did-start-navigation', { isMainFrame: false, isSameDocument: false })
    expect(engine.listeners.size).toBe(1)
    window.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false })
    expect(engine.listeners.size).toBe(0)

    // The reloaded page subscribes again with the same id: a fresh session accepts it.
    subscribe()
    expect(window.sent.at(-1)).toEqual({ type: 'result', id: 's1', result: null })
    expect(window.listenerCount('did-start-navigation')).toBe(1)
    window.destroyed = true
    window.emit('destroyed')
    expect(engine.listeners.size).toBe(0)
  })

  it('unregisters everything and ends all sessions', () => {
    const { ipc, engine, unregister } = setup()
    ipc.send(eventFrom(new FakeSender(), `${APP_ORIGIN}/index.html`), { type: 'subscribe', id: 's1', event: 'engine.status' })
    unregister()
    expect(ipc.handlers.size + ipc.listeners.size).toBe(0)
    expect(engine.listeners.size).toBe(0)
  })
})

describe('IPC streams (terminals)', () => {
  function streamSetup() {
    const ipc = new FakeIpcMain()
    const streams: { written: string[]; closed: boolean }[] = []
    const terminal = { id: 'tabcde', name: 'one', target: { kind: 'host' as const }, state: 'running' as const, exitCode: null, cols: 80, rows: 24, position: 0, createdAt: '2026-01-01T00:00:00.000Z', revived: false }
    const api = fakeCoreApi({}, {}, {
      'terminals.attach': async (_params, sink) => {
        const stream = { written: [] as string[], closed: false }
        streams.push(stream)
        sink.data('screen')
        return { result: { terminal }, handle: { write: (d) => void stream.written.push(d), ack: () => undefined, close: () => void (stream.closed = true) } }
      }
    })
    registerIpcHandlers(ipc, api, trusted)
    return { ipc, streams }
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

  it('carries a terminal stream over the message channel: reply, screen, input, and its end on reload', async () => {
    const { ipc, streams } = streamSetup()
    const window = new FakeSender()
    const app = eventFrom(window, `${APP_ORIGIN}/index.html`)
    ipc.send(app, { type: 'request', id: 'a1', method: 'terminals.attach', params: { id: 'tabcde' } })
    await settle()
    const stream = (window.sent[0] as { result: { stream: string } }).result.stream
    expect(window.sent[1]).toEqual({ type: 'stream.data', stream, data: 'screen' })
    ipc.send(app, { type: 'stream.write', stream, data: 'echo hi\r' })
    expect(streams[0]!.written).toEqual(['echo hi\r'])

    // Another window (or anything else) cannot write into it; a stranger gets nothing at all.
    const other = new FakeSender()
    ipc.send(eventFrom(other, `${APP_ORIGIN}/index.html`), { type: 'stream.write', stream, data: 'whoami\r' })
    ipc.send(eventFrom(new FakeSender(), 'https://evil.example/'), { type: 'stream.write', stream, data: 'whoami\r' })
    expect(streams[0]!.written).toEqual(['echo hi\r'])
    expect(other.sent).toEqual([{ type: 'stream.end', stream, exitCode: null, error: expect.objectContaining({ code: 'NOT_FOUND' }) }])

    window.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false })
    expect(streams[0]!.closed).toBe(true)
  })

  it('answers an attach made through invoke first, with the stream\'s frames after it', async () => {
    const { ipc } = streamSetup()
    const window = new FakeSender()
    const reply = (await ipc.invoke(eventFrom(window, `${APP_ORIGIN}/index.html`), { type: 'request', id: 'i1', method: 'terminals.attach', params: { id: 'tabcde' } })) as {
      result: { stream: string }
    }
    expect(window.sent).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    expect(window.sent).toEqual([{ type: 'stream.data', stream: reply.result.stream, data: 'screen' }])
  })
})
