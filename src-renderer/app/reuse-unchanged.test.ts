import { describe, expect, it } from 'vitest'
import { reuseUnchanged } from './reuse-unchanged'

const key = (item: { name: string }) => item.name

describe('reuseUnchanged', () => {
  it('gives back the previous list when the answer repeats it', () => {
    const previous = [{ name: 'a', state: 'running' }, { name: 'b', state: 'exited' }]
    const answer = [{ name: 'a', state: 'running' }, { name: 'b', state: 'exited' }]
    expect(reuseUnchanged(previous, answer, key)).toBe(previous)
    expect(reuseUnchanged(undefined, answer, key)).toBe(answer)
  })

  it('keeps the objects of unchanged items in a changed list', () => {
    const previous = [{ name: 'a', state: 'running' }, { name: 'b', state: 'exited' }]
    const next = reuseUnchanged(previous, [{ name: 'a', state: 'running' }, { name: 'b', state: 'running' }], key)
    expect(next).not.toBe(previous)
    expect(next[0]).toBe(previous[0])
    expect(next[1]).toEqual({ name: 'b', state: 'running' })
  })

  it('sees removals, additions and a new order', () => {
    const previous = [{ name: 'a' }, { name: 'b' }]
    expect(reuseUnchanged(previous, [{ name: 'a' }], key)).toEqual([{ name: 'a' }])
    expect(reuseUnchanged(previous, [{ name: 'a' }, { name: 'b' }, { name: 'c' }], key)).toHaveLength(3)
    const swapped = reuseUnchanged(previous, [{ name: 'b' }, { name: 'a' }], key)
    expect(swapped).not.toBe(previous)
    expect(swapped[0]).toBe(previous[1])
  })
})
