import { PassThrough } from 'node:stream'
import type Dockerode from 'dockerode'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineEvent, EngineStatus } from '../contract'
import { followEngineEvents, type EngineEventSubscription, type EventsConnection } from './docker-events'
import { FakeClock, settle } from './fake-clock'

function line(id: string, timeNano: string, action = 'create'): string {
  return (
    `{"status":"${action}","id":"${id}","Type":"container","Action":"${action}",` +
    `"Actor":{"ID":"${id}","Attributes":{"name":"n-${id}"}},"time":${timeNano.slice(0, 10)},"timeNano":${timeNano}}\n`
  )
}

/** An engine whose events streams the test writes to, and a connection whose status the test sets. */
class FakeEventsEngine implements EventsConnection {
  up = true
  readonly queries: unknown[] = []
  readonly streams: PassThrough[] = []
  readonly #listeners = new Set<(status: EngineStatus) => void>()

  readonly docker = {
    getEvents: async (query: unknown) => {
      this.queries.push(query)
      if (!this.up) throw Object.assign(new Error('connect ENOENT'), { code: 'ENOENT', syscall: 'connect' })
      const stream = Object.assign(new PassThrough(), { headers: { date: 'Thu, 01 Jan 2026 00:00:00 GMT' } })
      this.streams.push(stream)
      return stream
    }
  } as unknown as Dockerode

  onStatus(listener: (status: EngineStatus) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  announce(state: 'connected' | 'unreachable'): void {
    const endpoint = { kind: 'unix', url: 'unix:///x.sock', source: 'default' } as const
    const since = new Date().toISOString()
    const status: EngineStatus =
      state === 'connected'
        ? { state, endpoint, since, server: { serverVersion: '1', apiVersion: '1.41', os: 'linux', arch: 'amd64' } }
        : { state, endpoint, since, message: 'gone', hint: 'start it', attempt: 0 }
    for (const listener of this.#listeners) listener(status)
  }

  get current(): PassThrough {
    const stream = this.streams.at(-1)
    if (stream === undefined) throw new Error('no events stream opened')
    return stream
  }

  listenerCount(): number {
    return this.#listeners.size
  }
}

let subscription: EngineEventSubscription | undefined

afterEach(() => subscription?.close())

function follow(engine: FakeEventsEngine, clock: FakeClock, filters?: Record<string, string[]>) {
  const events: EngineEvent[] = []
  subscription = followEngineEvents(engine, { filters, clock, random: () => 0.5 }, (event) => events.push(event))
  return events
}

describe('followEngineEvents', () => {
  it('subscribes with the filters and delivers events whose lines are split across chunks', async () => {
    const engine = new FakeEventsEngine()
    const clock = new FakeClock()
    const events = follow(engine, clock, { label: ['dev.sandlot.instance=t1'] })
    await settle()
    expect(engine.queries).toEqual([{ filters: { label: ['dev.sandlot.instance=t1'] } }])

    const text = line('a', '1767225600100000000') + line('b', '1767225600200000000', 'start')
    engine.current.write(text.slice(0, 25))
    engine.current.write(text.slice(25, text.indexOf('\n') + 8))
    await settle()
    expect(events.map((event) => event.id)).toEqual(['a'])
    engine.current.write(text.slice(text.indexOf('\n') + 8))
    await settle()
    expect(events).toEqual([
      { type: 'container', action: 'create', id: 'a', attributes: { name: 'n-a' }, timeNano: '1767225600100000000' },
      { type: 'container', action: 'start', id: 'b', attributes: { name: 'n-b' }, timeNano: '1767225600200000000' }
    ])
  })

  it('skips lines that are not events and keeps going', async () => {
    const engine = new FakeEventsEngine()
    const events = follow(engine, new FakeClock())
    await settle()
    engine.current.write('garbage\n{"Type":"container"}\n' + line('a', '1767225600100000000'))
    await settle()
    expect(events.map((event) => event.id)).toEqual(['a'])
  })

  it('resubscribes from the last event when the engine is back, dropping what the replay repeats', async () => {
    const engine = new FakeEventsEngine()
    const clock = new FakeClock()
    const events = follow(engine, clock)
    await settle()
    engine.current.write(line('a', '1767225600100000000') + line('b', '1767225601500000000'))
    await settle()

    engine.up = false
    engine.current.end()
    engine.announce('unreachable')
    await clock.advance(0)
    engine.up = true
    engine.announce('connected')
    await settle()
    expect(engine.queries.at(-1)).toEqual({ since: '1767225600.500000000' })

    engine.current.write(line('b', '1767225601500000000') + line('c', '1767225602000000000'))
    await settle()
    expect(events.map((event) => event.id)).toEqual(['a', 'b', 'c'])
  })

  it('retries on its backoff while the engine is down, and at once when the connection reconnects', async () => {
    const engine = new FakeEventsEngine()
    const clock = new FakeClock()
    follow(engine, clock)
    await settle()
    engine.up = false
    engine.current.destroy(new Error('socket hang up'))
    await clock.advance(0)
    expect(clock.pendingDelays()).toEqual([500])
    await clock.advance(1500)
    expect(engine.queries).toHaveLength(3)
    expect(clock.pendingDelays()).toEqual([2000])

    engine.up = true
    engine.announce('connected')
    await settle()
    expect(engine.queries).toHaveLength(4)
    expect(clock.pendingDelays()).toEqual([])
    expect(engine.streams.filter((stream) => !stream.destroyed)).toHaveLength(1)
  })

  it('replays from when the stream opened if it ends before any event', async () => {
    const engine = new FakeEventsEngine()
    const clock = new FakeClock()
    follow(engine, clock)
    await settle()
    engine.current.end()
    await clock.advance(500)
    expect(engine.queries.at(-1)).toEqual({ since: String(Date.UTC(2026, 0, 1) / 1000) })
  })

  it('opens one stream however many times the connection reconnects', async () => {
    const engine = new FakeEventsEngine()
    follow(engine, new FakeClock())
    engine.announce('connected')
    engine.announce('connected')
    await settle()
    engine.announce('connected')
    await settle()
    expect(engine.streams).toHaveLength(1)
  })

  it('stops the stream, timers and delivery on close', async () => {
    const engine = new FakeEventsEngine()
    const clock = new FakeClock()
    const events = follow(engine, clock)
    await settle()
    const stream = engine.current
    subscription?.close()
    expect(stream.destroyed).toBe(true)
    expect(engine.listenerCount()).toBe(0)
    engine.announce('connected')
    await clock.advance(60_000)
    expect(engine.streams).toHaveLength(1)
    expect(clock.pendingDelays()).toEqual([])
    expect(events).toEqual([])
  })
})

describe('followEngineEvents: opened', () => {
  it('settles once the first stream is open, not before', async () => {
    const engine = new FakeEventsEngine()
    engine.up = false
    const clock = new FakeClock()
    follow(engine, clock)
    let opened = false
    void subscription?.opened.then(() => {
      opened = true
    })
    await clock.advance(0)
    expect(opened).toBe(false)
    engine.up = true
    await clock.advance(500)
    expect(engine.streams).toHaveLength(1)
    expect(opened).toBe(true)
  })

  it('settles when closed before any stream opened, so no caller waits forever', async () => {
    const engine = new FakeEventsEngine()
    engine.up = false
    follow(engine, new FakeClock())
    subscription?.close()
    await expect(subscription?.opened).resolves.toBeUndefined()
  })
})
