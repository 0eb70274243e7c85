import { PassThrough } from 'node:stream'
import type Dockerode from 'dockerode'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineEndpoint, EngineStatus } from '../contract'
import { EngineConnection, type EngineConnectionOptions } from './engine-connection'
import { FakeClock } from './fake-clock'

const endpoint: EngineEndpoint = { kind: 'unix', url: 'unix:///var/run/docker.sock', source: 'default' }

const VERSION = { Version: '27.3.1', ApiVersion: '1.47', Os: 'linux', Arch: 'amd64', Platform: { Name: 'Docker Engine' } }

/** A scripted engine: up or down, with the liveness streams the connection opened. */
class FakeEngine {
  up = true
  /** When set, pings never answer (a silent peer). */
  silent = false
  pings = 0
  readonly streams: { query: unknown; stream: PassThrough }[] = []

  async ping(options: { abortSignal: AbortSignal }): Promise<string> {
    this.pings += 1
    if (this.silent) {
      return new Promise((_, reject) => options.abortSignal.addEventListener('abort', () => reject(new Error('aborted'))))
    }
    if (!this.up) throw Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT', syscall: 'connect' })
    return 'OK'
  }

  async version(): Promise<unknown> {
    return VERSION
  }

  async getEvents(query: unknown): Promise<PassThrough> {
    if (!this.up) throw Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT', syscall: 'connect' })
    const stream = new PassThrough()
    this.streams.push({ query, stream })
    return stream
  }

  /** The engine stops: its streams end and nothing answers. */
  stop(): void {
    this.up = false
    for (const { stream } of this.streams) stream.end()
  }

  openStreams(): PassThrough[] {
    return this.streams.map(({ stream }) => stream).filter((stream) => !stream.destroyed && !stream.readableEnded)
  }
}

let connection: EngineConnection | undefined

afterEach(() => connection?.close())

function connect(engine: FakeEngine, clock: FakeClock, options: EngineConnectionOptions = {}) {
  const statuses: EngineStatus[] = []
  connection = new EngineConnection(endpoint, {
    docker: engine as unknown as Dockerode,
    clock,
    random: () => 0.5,
    ...options
  })
  connection.onStatus((status) => statuses.push(status))
  return { connection, statuses }
}

describe('EngineConnection.check', () => {
  it('reports the server when the engine answers', async () => {
    const { connection } = connect(new FakeEngine(), new FakeClock())
    expect(await connection.check()).toMatchObject({
      state: 'connected',
      endpoint,
      server: { serverVersion: '27.3.1', apiVersion: '1.47', os: 'linux', arch: 'amd64', name: 'Docker Engine' }
    })
    expect(connection.status.state).toBe('connecting')
  })

  it('reports what to do when the engine is down', async () => {
    const engine = new FakeEngine()
    engine.up = false
    const { connection } = connect(engine, new FakeClock())
    const status = await connection.check()
    expect(status).toMatchObject({
      state: 'unreachable',
      message: 'Docker engine not reachable at unix:///var/run/docker.sock (connect ENOENT)',
      hint: 'Docker engine not reachable: start Docker Desktop or dockerd',
      attempt: 0
    })
    expect(status).not.toHaveProperty('nextAttemptAt')
  })

  it('gives up on an engine that does not answer in time', async () => {
    const engine = new FakeEngine()
    engine.silent = true
    const clock = new FakeClock()
    const { connection } = connect(engine, clock, { requestTimeoutMs: 3000 })
    const checked = connection.check()
    await clock.advance(3000)
    expect(await checked).toMatchObject({ state: 'unreachable', message: expect.stringMatching(/\(no answer within 3 s\)$/) })
  })

  it('does not take an answer that is not a Docker version for an engine', async () => {
    const engine = new FakeEngine()
    engine.version = async () => ({ hello: 'world' })
    const { connection } = connect(engine, new FakeClock())
    expect(await connection.check()).toMatchObject({ state: 'unreachable', message: expect.stringMatching(/not a Docker engine/) })
  })
})

describe('EngineConnection.watch', () => {
  it('connects and keeps a daemon events stream open as the liveness signal', async () => {
    const engine = new FakeEngine()
    const clock = new FakeClock()
    const { connection, statuses } = connect(engine, clock)
    connection.watch()
    await clock.advance(0)
    expect(statuses.map((status) => status.state)).toEqual(['connected'])
    expect(connection.status).toMatchObject({ state: 'connected', server: { serverVersion: '27.3.1' } })
    expect(engine.streams.map(({ query }) => query)).toEqual([{ filters: { type: ['daemon'] } }])
  })

  it('retries an engine that is down on the backoff schedule, reporting each attempt', async () => {
    const engine = new FakeEngine()
    engine.up = false
    const clock = new FakeClock()
    const start = clock.now()
    const { connection, statuses } = connect(engine, clock, { backoff: { jitter: 0 } })
    connection.watch()
    await clock.advance(60_000)

    // Each attempt is reported when the previous one was due: rebuild the delays from nextAttemptAt.
    let reportedAt = start
    const schedule = statuses.map((status, index) => {
      expect(status).toMatchObject({ state: 'unreachable', attempt: index, since: new Date(start).toISOString() })
      const nextAt = Date.parse((status as { nextAttemptAt: string }).nextAttemptAt)
      const delay = nextAt - reportedAt
      reportedAt = nextAt
      return delay
    })
    expect(schedule).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000])
    expect(engine.pings).toBe(schedule.length)
  })

  it('jitters the retry delays', async () => {
    const engine = new FakeEngine()
    engine.up = false
    const clock = new FakeClock()
    const { connection, statuses } = connect(engine, clock, { random: () => 0 })
    connection.watch()
    await clock.advance(0)
    expect(statuses[0]).toMatchObject({ nextAttemptAt: new Date(clock.now() + 400).toISOString() })
  })

  it('notices at once when the liveness stream ends, then reconnects when the engine is back', async () => {
    const engine = new FakeEngine()
    const clock = new FakeClock()
    const { connection, statuses } = connect(engine, clock, { backoff: { jitter: 0 } })
    connection.watch()
    await clock.advance(0)

    engine.stop()
    await clock.advance(0)
    expect(connection.status).toMatchObject({
      state: 'unreachable',
      message: 'Docker engine not reachable at unix:///var/run/docker.sock (connect ENOENT)',
      hint: 'Docker engine not reachable: start Docker Desktop or dockerd',
      attempt: 0,
      nextAttemptAt: new Date(clock.now() + 500).toISOString()
    })

    await clock.advance(1500)
    expect(connection.status).toMatchObject({ state: 'unreachable', attempt: 2 })
    engine.up = true
    await clock.advance(2000)
    expect(statuses.map((status) => status.state)).toEqual(['connected', 'unreachable', 'unreachable', 'unreachable', 'connected'])
    expect(engine.openStreams()).toHaveLength(1)
  })

  it('starts the backoff over after a reconnect', async () => {
    const engine = new FakeEngine()
    const clock = new FakeClock()
    const { connection } = connect(engine, clock, { backoff: { jitter: 0 } })
    connection.watch()
    await clock.advance(0)
    engine.stop()
    await clock.advance(4000)
    engine.up = true
    await clock.advance(4000)
    expect(connection.status.state).toBe('connected')
    engine.stop()
    await clock.advance(0)
    expect(connection.status).toMatchObject({ attempt: 0, nextAttemptAt: new Date(clock.now() + 500).toISOString() })
  })

  it('falls back to the periodic ping when the stream stays open but the engine stops answering', async () => {
    const engine = new FakeEngine()
    const clock = new FakeClock()
    const { connection } = connect(engine, clock, { pingIntervalMs: 10_000, requestTimeoutMs: 5000 })
    connection.watch()
    await clock.advance(0)
    engine.silent = true
    await clock.advance(9_999)
    expect(connection.status.state).toBe('connected')
    await clock.advance(5001)
    expect(connection.status).toMatchObject({ state: 'unreachable', message: expect.stringMatching(/no answer within 5 s/) })
    expect(engine.openStreams()).toHaveLength(0)
  })

  it('stays connected when only the stream ends, and reopens it at the next ping', async () => {
    const engine = new FakeEngine()
    const clock = new FakeClock()
    const { connection, statuses } = connect(engine, clock, { pingIntervalMs: 10_000 })
    connection.watch()
    await clock.advance(0)
    engine.streams[0]?.stream.end()
    await clock.advance(0)
    expect(engine.openStreams()).toHaveLength(0)
    await clock.advance(10_000)
    expect(statuses.map((status) => status.state)).toEqual(['connected'])
    expect(engine.openStreams()).toHaveLength(1)
  })

  it('stops reporting to a listener that unsubscribed', async () => {
    const engine = new FakeEngine()
    const clock = new FakeClock()
    const { connection, statuses } = connect(engine, clock)
    const later: EngineStatus[] = []
    const unsubscribe = connection.onStatus((status) => later.push(status))
    connection.watch()
    await clock.advance(0)
    unsubscribe()
    engine.stop()
    await clock.advance(0)
    expect(later.map((status) => status.state)).toEqual(['connected'])
    expect(statuses.map((status) => status.state)).toEqual(['connected', 'unreachable'])
  })

  it('leaves no timer, stream or report behind after close', async () => {
    const engine = new FakeEngine()
    const clock = new FakeClock()
    const { connection, statuses } = connect(engine, clock)
    connection.watch()
    await clock.advance(0)
    expect(clock.pendingDelays()).toEqual([10_000])
    connection.close()
    expect(clock.pendingDelays()).toEqual([])
    expect(engine.openStreams()).toHaveLength(0)
    engine.stop()
    await clock.advance(60_000)
    expect(statuses.map((status) => status.state)).toEqual(['connected'])
  })

  it('cancels a pending reconnect on close', async () => {
    const engine = new FakeEngine()
    engine.up = false
    const clock = new FakeClock()
    const { connection } = connect(engine, clock)
    connection.watch()
    await clock.advance(0)
    expect(clock.pendingDelays()).toHaveLength(1)
    connection.close()
    expect(clock.pendingDelays()).toEqual([])
    await clock.advance(60_000)
    expect(engine.pings).toBe(1)
  })
})
