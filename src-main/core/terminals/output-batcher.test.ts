import { afterEach, describe, expect, it, vi } from 'vitest'
import { OutputBatcher } from './output-batcher'

afterEach(() => void vi.useRealTimers())

describe('OutputBatcher', () => {
  it('hands on everything pushed within the delay as one piece, in order', () => {
    vi.useFakeTimers()
    const out: string[] = []
    const batcher = new OutputBatcher((text) => out.push(text), 5)
    for (const part of ['a', 'b', '', 'c']) batcher.push(part)
    expect(out).toEqual([])
    vi.advanceTimersByTime(5)
    expect(out).toEqual(['abc'])
    batcher.push('d')
    vi.advanceTimersByTime(4)
    batcher.push('e')
    vi.advanceTimersByTime(1)
    expect(out).toEqual(['abc', 'de'])
  })

  it('flushes at once when asked, and drops what is left on dispose', () => {
    vi.useFakeTimers()
    const out: string[] = []
    const batcher = new OutputBatcher((text) => out.push(text), 5)
    batcher.push('x')
    batcher.flushNow()
    batcher.flushNow()
    expect(out).toEqual(['x'])
    batcher.push('y')
    batcher.dispose()
    vi.advanceTimersByTime(10)
    expect(out).toEqual(['x'])
  })
})
