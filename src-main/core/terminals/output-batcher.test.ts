import { afterEach, describe, expect, it, vi } from 'vitest'
import { OutputBatcher } from './output-batcher'

afterEach(() => void vi.useRealTimers())

describe('OutputBatcher', () => {
  it('hands on little output at once (echoes, prompts), and gathers a window’s output beyond a little', () => {
    vi.useFakeTimers()
    const out: string[] = []
    const batcher = new OutputBatcher((text) => out.push(text), 5)
    batcher.push('a')
    batcher.push('b')
    expect(out).toEqual(['a', 'b'])
    const big = 'x'.repeat(2000)
    batcher.push(big)
    batcher.push('c')
    expect(out).toEqual(['a', 'b'])
    vi.advanceTimersByTime(5)
    expect(out).toEqual(['a', 'b', big + 'c'])
    // A window with nothing in it closes: the next output goes out at once again.
    vi.advanceTimersByTime(5)
    batcher.push('d')
    expect(out).toEqual(['a', 'b', big + 'c', 'd'])
  })

  it('turns a flood of small writes into a few pieces per window, in order', () => {
    vi.useFakeTimers()
    const out: string[] = []
    const batcher = new OutputBatcher((text) => out.push(text), 5)
    const piece = 'y\n'.repeat(100)
    for (let i = 0; i < 1000; i++) {
      batcher.push(piece)
      if (i % 100 === 99) vi.advanceTimersByTime(1)
    }
    vi.advanceTimersByTime(5)
    expect(out.join('')).toBe(piece.repeat(1000))
    expect(out.length).toBeLessThanOrEqual(20)
  })

  it('flushes at once when asked, and drops what is left on dispose', () => {
    vi.useFakeTimers()
    const out: string[] = []
    const batcher = new OutputBatcher((text) => out.push(text), 5)
    const big = 'z'.repeat(3000)
    batcher.push(big)
    batcher.push(big)
    expect(out).toEqual([big])
    batcher.flushNow()
    batcher.flushNow()
    expect(out).toEqual([big, big])
    batcher.push(big)
    batcher.dispose()
    vi.advanceTimersByTime(10)
    expect(out).toEqual([big, big])
  })
})
