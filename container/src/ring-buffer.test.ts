import { describe, expect, it } from 'vitest'
import { RingBuffer } from './ring-buffer'

describe('RingBuffer', () => {
  it('keeps everything until full, oldest first', () => {
    const ring = new RingBuffer<number>(3)
    ring.push(1)
    ring.push(2)
    expect(ring.last()).toEqual([1, 2])
  })

  it('drops the oldest items beyond its capacity', () => {
    const ring = new RingBuffer<number>(3)
    for (let i = 1; i <= 7; i++) ring.push(i)
    expect(ring.last()).toEqual([5, 6, 7])
  })

  it('returns the newest n items', () => {
    const ring = new RingBuffer<number>(4)
    for (let i = 1; i <= 6; i++) ring.push(i)
    expect(ring.last(2)).toEqual([5, 6])
    expect(ring.last(10)).toEqual([3, 4, 5, 6])
    expect(ring.last(0)).toEqual([])
  })

  it('rejects a capacity that cannot hold anything', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError)
  })
})
