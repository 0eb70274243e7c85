import { describe, expect, it, vi } from 'vitest'
import { MAX_STREAM_WRITE, Settings, type EngineStatus, type ServerMessage, type SettingsView } from '../core/contract'
import type { StreamSink } from '../core/api'
import { ApiSession, SESSION_LIMITS } from './api-session'
import { fakeCoreApi, fakeEventSource, unreachableStatus } from './test-support/fake-core-api'

const status = unreachableStatus
const view: SettingsView = { settings: Settings.parse({}), problems: [], file: '/tmp/settings.json' }

function fakeApi() {
  const engine = fakeEventSource<EngineStatus>()
  const update = vi.fn(() => view)
  const api = fakeCoreApi(
    { 'engine.status': () => status, 'settings.get': () => view, 'settings.update': update },
    { 'engine.status': engine.source }
  )
  return { api, update, listeners: engine.listeners, emit: engine.emit }
}

function session() {
  const fake = fakeApi()
  const sent: ServerMessage[] = []
  const apiSession = new ApiSession(fake.api, (message) => sent.push(message))
  const settled = () => new Promise((resolve) => setTimeout(resolve, 0))
  return { ...fake, sent, apiSession, settled }
}

describe('ApiSession', () => {
  it('answers a request with its result', async () => {
    const { apiSession, sent, settled } = session()
    apiSession.receive({ type: 'request', id: 'a', method: 'engine.status', params: {} })
    await settled()
    expect(sent).toEqual([{ type: 'result', id: 'a', result: status }])
  })

  it('answers invalid parameters with BAD_REQUEST and never runs the handler', async () => {
    const { apiSession, sent, settled, update } = session()
    apiSession.receive({ type: 'request', id: 'b', method: 'settings.update', params: { appearance: { theme: 'purple' } } })
    apiSession.receive({ type: 'request', id: 'c', method: 'settings.update', params: { unknown: true } })
    await settled()
    expect(update).not.toHaveBeenCalled()
    expect(sent).toEqual([
      { type: 'error', id: 'b', error: expect.objectContaining({ code: 'BAD_REQUEST', hint: 'Nothing was changed.' }) },
      { type: 'error', id: 'c', error: expect.objectContaining({ code: 'BAD_REQUEST' }) }
    ])
  })

  it('answers frames that do not match the contract, with their id when they have a usable one', () => {
    const { apiSession, sent } = session()
    apiSession.receive({ type: 'request', id: 'd', method: 'no.such.method', params: {} })
    apiSession.receive({ type: 'launch-missiles', id: 'e' })
    apiSession.receive({ type: 'request', method: 'engine.status', params: {} })
    apiSession.receive({ type: 'subscribe', id: 'x'.repeat(65), event: 'engine.status' })
    apiSession.receive('not an object')
    apiSession.receiveText('{not json')
    expect(sent.map((message) => message.type === 'error' && [message.id, message.error.code])).toEqual([
      ['d', 'BAD_REQUEST'],
      ['e', 'BAD_REQUEST'],
      ['-', 'BAD_REQUEST'],
      ['-', 'BAD_REQUEST'],
      ['-', 'BAD_REQUEST'],
      ['-', 'BAD_REQUEST']
    ])
    expect(sent.at(-1)).toMatchObject({ error: { message: 'Invalid message: frames are JSON text.' } })
  })

  it('acknowledges a subscription, forwards its events, and stops after unsubscribe', () => {
    const { apiSession, sent, emit, listeners } = session()
    apiSession.receive({ type: 'subscribe', id: 's', event: 'engine.status' })
    emit(status)
    apiSession.receive({ type: 'unsubscribe', id: 's' })
    emit(status)
    expect(sent).toEqual([
      { type: 'result', id: 's', result: null },
      { type: 'event', id: 's', event: 'engine.status', payload: status },
      { type: 'result', id: 's', result: null }
    ])
    expect(listeners.size).toBe(0)
  })

  it('refuses a subscription id that is already in use', () => {
    const { apiSession, sent, listeners } = session()
    apiSession.receive({ type: 'subscribe', id: 's', event: 'engine.status' })
    apiSession.receive({ type: 'subscribe', id: 's', event: 'engine.status' })
    expect(sent[1]).toMatchObject({ type: 'error', id: 's', error: { code: 'CONFLICT' } })
    expect(listeners.size).toBe(1)
  })

  it('refuses subscriptions beyond the per-connection limit with CONFLICT, until one ends', () => {
    const { apiSession, sent, listeners } = session()
    for (let n = 0; n <= SESSION_LIMITS.subscriptions; n++) apiSession.receive({ type: 'subscribe', id: `s${n}`, event: 'engine.status' })
    expect(listeners.size).toBe(SESSION_LIMITS.subscriptions)
    expect(sent.at(-1)).toEqual({
      type: 'error',
      id: `s${SESSION_LIMITS.subscriptions}`,
      error: { code: 'CONFLICT', message: 'Too many subscriptions: at most 64 per connection.', hint: expect.any(String) }
    })
    apiSession.receive({ type: 'unsubscribe', id: 's0' })
    apiSession.receive({ type: 'subscribe', id: 'again', event: 'engine.status' })
    expect(sent.at(-1)).toEqual({ type: 'result', id: 'again', result: null })
  })

  it('refuses requests beyond the per-connection limit in flight, without running them, until answers go out', async () => {
    const answers: Array<() => void> = []
    const get = vi.fn(() => new Promise<SettingsView>((resolve) => answers.push(() => resolve(view))))
    const sent: ServerMessage[] = []
    const apiSession = new ApiSession(fakeCoreApi({ 'settings.get': get }), (message) => sent.push(message))
    for (let n = 0; n <= SESSION_LIMITS.requestsInFlight; n++) apiSession.receive({ type: 'request', id: `r${n}`, method: 'settings.get', params: {} })
    await vi.waitFor(() => expect(sent).toHaveLength(1))
    expect(get).toHaveBeenCalledTimes(SESSION_LIMITS.requestsInFlight)
    expect(sent[0]).toEqual({
      type: 'error',
      id: `r${SESSION_LIMITS.requestsInFlight}`,
      error: { code: 'CONFLICT', message: 'Too many requests in flight: at most 32 per connection.', hint: expect.stringContaining('Nothing was run') }
    })
    answers.forEach((answer) => answer())
    await vi.waitFor(() => expect(sent).toHaveLength(SESSION_LIMITS.requestsInFlight + 1))
    apiSession.receive({ type: 'request', id: 'after', method: 'settings.get', params: {} })
    await vi.waitFor(() => expect(answers).toHaveLength(SESSION_LIMITS.requestsInFlight + 1))
    answers.at(-1)?.()
    await vi.waitFor(() => expect(sent.at(-1)).toEqual({ type: 'result', id: 'after', result: view }))
  })

  it('ends every subscription on close and sends nothing afterwards', async () => {
    const { apiSession, sent, emit, listeners, settled } = session()
    apiSession.receive({ type: 'subscribe', id: 's1', event: 'engine.status' })
    apiSession.receive({ type: 'subscribe', id: 's2', event: 'engine.status' })
    apiSession.receive({ type: 'request', id: 'late', method: 'engine.status', params: {} })
    apiSession.close()
    emit(status)
    apiSession.receive({ type: 'request', id: 'after', method: 'engine.status', params: {} })
    await settled()
    expect(listeners.size).toBe(0)
    expect(sent.map((message) => message.type === 'result' && message.id)).toEqual(['s1', 's2'])
  })

  it('answers request frames directly for invoke-style transports, and only requests', async () => {
    const { apiSession, sent } = session()
    expect(await apiSession.answer({ type: 'request', id: 'r', method: 'settings.get', params: {} })).toEqual({ type: 'result', id: 'r', result: view })
    expect(await apiSession.answer({ type: 'subscribe', id: 's', event: 'engine.status' })).toMatchObject({
      type: 'error',
      id: 's',
      error: { code: 'BAD_REQUEST', message: 'Invalid message: this channel takes requests only.' }
    })
    expect(await apiSession.answer(42)).toMatchObject({ type: 'error', id: '-' })
    expect(sent).toEqual([])
  })
})

/** A core whose `terminals.attach` hands out streams the test can drive, and records what clients send into them. */
function streamingApi() {
  const opened: { sink: StreamSink; written: string[]; acked: number[]; closed: boolean }[] = []
  const terminal = {
    id: 'tabcde',
    name: 'one',
    target: { kind: 'host' as const },
    state: 'running' as const,
    exitCode: null,
    cols: 80,
    rows: 24,
    position: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    revived: false
  }
  const api = fakeCoreApi({}, {}, {
    'terminals.attach': async (_params, sink) => {
      const stream = { sink, written: [] as string[], acked: [] as number[], closed: false }
      opened.push(stream)
      // The screen is ready before the reply goes out: it must still follow the reply.
      sink.data('screen')
      return {
        result: { terminal },
        handle: { write: (d) => void stream.written.push(d), ack: (n) => void stream.acked.push(n), close: () => void (stream.closed = true) }
      }
    }
  })
  const client = () => {
    const sent: ServerMessage[] = []
    return { sent, session: new ApiSession(api, (message) => sent.push(message)) }
  }
  return { opened, client }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

async function attach(client: { sent: ServerMessage[]; session: ApiSession }, id = 'a1'): Promise<string> {
  client.session.receive({ type: 'request', id, method: 'terminals.attach', params: { id: 'tabcde' } })
  await settle()
  const reply = client.sent.find((m) => m.type === 'result' && m.id === id)
  return (reply as { result: { stream: string } }).result.stream
}

describe('ApiSession streams', () => {
  it('replies to an attach with a stream id first, then sends that stream\'s frames', async () => {
    const { client } = streamingApi()
    const a = client()
    const stream = await attach(a)
    expect(stream).toMatch(/^s[A-Za-z0-9_-]{16}$/)
    expect(a.sent).toEqual([
      { type: 'result', id: 'a1', result: expect.objectContaining({ stream, terminal: expect.objectContaining({ id: 'tabcde' }) }) },
      { type: 'stream.data', stream, data: 'screen' }
    ])
  })

  it('passes input and acknowledgements to the client\'s own stream, and detaches on stream.close', async () => {
    const { opened, client } = streamingApi()
    const a = client()
    const stream = await attach(a)
    a.session.receive({ type: 'stream.write', stream, data: 'ls\r' })
    a.session.receive({ type: 'stream.ack', stream, bytes: 6 })
    a.session.receive({ type: 'stream.close', stream })
    expect(opened[0]).toMatchObject({ written: ['ls\r'], acked: [6], closed: true })
    expect(a.sent.at(-1)).toEqual({ type: 'stream.end', stream, exitCode: null })
    a.session.receive({ type: 'stream.write', stream, data: 'more' })
    expect(opened[0]!.written).toEqual(['ls\r'])
  })

  it('refuses a frame naming another client\'s stream, which never reaches that stream', async () => {
    const { opened, client } = streamingApi()
    const a = client()
    const b = client()
    const streamOfA = await attach(a)
    await attach(b, 'b1')
    b.session.receive({ type: 'stream.write', stream: streamOfA, data: 'rm -rf ~\r' })
    b.session.receive({ type: 'stream.close', stream: streamOfA })
    expect(b.sent.slice(-2)).toEqual([
      { type: 'stream.end', stream: streamOfA, exitCode: null, error: expect.objectContaining({ code: 'NOT_FOUND' }) },
      { type: 'stream.end', stream: streamOfA, exitCode: null, error: expect.objectContaining({ code: 'NOT_FOUND' }) }
    ])
    expect(opened[0]).toMatchObject({ written: [], closed: false })
    expect(a.sent.some((m) => m.type === 'stream.end')).toBe(false)
  })

  it('refuses input larger than one frame may carry, and unknown streams rather than dropping their frames', async () => {
    const { opened, client } = streamingApi()
    const a = client()
    const stream = await attach(a)
    a.session.receive({ type: 'stream.write', stream, data: 'x'.repeat(MAX_STREAM_WRITE + 1) })
    a.session.receive({ type: 'stream.ack', stream: 'nope', bytes: 5000 })
    expect(opened[0]!.written).toEqual([])
    expect(a.sent.slice(-2)).toEqual([
      { type: 'error', id: '-', error: expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringMatching(/at most 65536 characters/) }) },
      { type: 'stream.end', stream: 'nope', exitCode: null, error: expect.objectContaining({ code: 'NOT_FOUND' }) }
    ])
  })

  it('sends the end of a stream the core ends, and closes every stream when the client goes', async () => {
    const { opened, client } = streamingApi()
    const a = client()
    const first = await attach(a)
    await attach(a, 'a2')
    opened[0]!.sink.end(0)
    expect(a.sent.at(-1)).toEqual({ type: 'stream.end', stream: first, exitCode: 0 })
    a.session.close()
    expect(opened[1]!.closed).toBe(true)
  })

  it('holds a stream\'s frames for invoke-style transports until the reply has been handed back', async () => {
    const { client } = streamingApi()
    const a = client()
    const reply = await a.session.answer({ type: 'request', id: 'i1', method: 'terminals.attach', params: { id: 'tabcde' } })
    expect(a.sent).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    expect(a.sent).toEqual([{ type: 'stream.data', stream: (reply as { result: { stream: string } }).result.stream, data: 'screen' }])
  })

  it('sends each stream\'s held frames when two attaches at once share a request id', async () => {
    const { client } = streamingApi()
    const a = client()
    a.session.receive({ type: 'request', id: 'same', method: 'terminals.attach', params: { id: 'tabcde' } })
    a.session.receive({ type: 'request', id: 'same', method: 'terminals.attach', params: { id: 'tabcde' } })
    await settle()
    const streams = a.sent.flatMap((m) => (m.type === 'result' ? [(m.result as { stream: string }).stream] : []))
    expect(streams).toHaveLength(2)
    for (const stream of streams) expect(a.sent).toContainEqual({ type: 'stream.data', stream, data: 'screen' })
  })

  it('refuses a stream method as a plain call (the CLI, HTTP): it has nowhere to send the stream', async () => {
    await expect(fakeCoreApi({}).call('terminals.attach', { id: 'tabcde' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
  })
})
