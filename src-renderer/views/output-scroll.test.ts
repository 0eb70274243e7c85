import { describe, expect, it } from 'vitest'
import { anchoredScrollTop, topLine } from './output-scroll'

/** Lines of the given heights, stacked from the top of the box. */
function lines(...heights: number[]) {
  let top = 0
  return heights.map((height) => {
    const box = { offsetTop: top, offsetHeight: height }
    top += height
    return box
  })
}

describe('output scroll anchor', () => {
  it('finds the line at the top of the view and how far into it the view starts', () => {
    expect(topLine(lines(20, 20, 40, 20), 50, 100)).toEqual({ line: 102, into: 10 })
    expect(topLine(lines(20, 20), 0, 0)).toEqual({ line: 0, into: 0 })
    expect(topLine([], 0, 0)).toBeUndefined()
  })

  it('keeps that line where it was when lines above it are dropped', () => {
    const before = lines(20, 20, 40, 20)
    const anchor = topLine(before, 50, 100)!
    // Two lines (40 px) dropped from the top, one added at the bottom: line 102 is now the first.
    const after = lines(40, 20, 20)
    expect(anchoredScrollTop(after, anchor, 102)).toBe(10)
    // Nothing dropped: the view stays put.
    expect(anchoredScrollTop(before, anchor, 100)).toBe(50)
  })

  it('goes to the top when the line itself was dropped', () => {
    expect(anchoredScrollTop(lines(20, 20), { line: 3, into: 5 }, 10)).toBe(0)
  })
})
