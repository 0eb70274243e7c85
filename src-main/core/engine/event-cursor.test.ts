import { describe, expect, it } from 'vitest'
import type { EngineEvent } from '../contract'
import { EventCursor } from './event-cursor'

function event(timeNano: string, id = 'c1', action = 'create'): EngineEvent {
  return { type: 'container', action, id, attributes: {}, timeNano }
}

describe('EventCursor', () => {
  it('has no since before anything happened', () => {
    expect(new EventCursor().since()).toBeUndefined()
  })

  it('resubscribes one second before the newest event seen, with nanosecond precision', () => {
    const cursor = new EventCursor()
    cursor.accept(event('1795449133317442084'))
    cursor.accept(event('1795449133000000005', 'c2'))
    expect(cursor.since()).toBe('1795449132.317442084')
  })

  it('drops events it already delivered, however often they are replayed', () => {
    const cursor = new EventCursor()
    const first = event('1795449133317442084')
    expect(cursor.accept(first)).toBe(true)
    expect(cursor.accept({ ...first })).toBe(false)
    expect(cursor.accept(first)).toBe(false)
  })

  it('tells apart events at the same time that differ in action or object', () => {
    const cursor = new EventCursor()
    expect(cursor.accept(event('1795449133317442084', 'c1', 'create'))).toBe(true)
    expect(cursor.accept(event('1795449133317442084', 'c1', 'start'))).toBe(true)
    expect(cursor.accept(event('1795449133317442084', 'c2', 'create'))).toBe(true)
  })

  it('delivers an event logged slightly out of order', () => {
    const cursor = new EventCursor()
    cursor.accept(event('1795449133317442084', 'c1'))
    expect(cursor.accept(event('1795449133317442000', 'c2'))).toBe(true)
  })

  it('still recognises a replay of events within the replay margin after newer ones', () => {
    const cursor = new EventCursor()
    const old = event('1795449130000000000', 'c1')
    cursor.accept(old)
    cursor.accept(event('1795449133000000000', 'c2'))
    expect(cursor.accept(old)).toBe(false)
  })

  it('replays from when the stream opened while no event has arrived', () => {
    const cursor = new EventCursor()
    cursor.streamOpenedAt(1795449100)
    cursor.streamOpenedAt(1795449200)
    expect(cursor.since()).toBe('1795449100')
    cursor.accept(event('1795449133317442084'))
    expect(cursor.since()).toBe('1795449132.317442084')
  })
})
