import { describe, expect, it } from 'vitest'
import type { LogLine } from '../../../src-main/core/contract'
import { appendLive, EMPTY_BUFFER, fromPage, liveLinesFor, prependPage, restartAt } from './log-buffer'

const line = (id: number, stream: LogLine['stream'] = 'stdout', workspace = 'web'): LogLine => ({
  id,
  workspace,
  container: 'c1',
  boot: 'b1',
  seq: id,
  ts: '2030-01-01T10:00:00.000Z',
  stream,
  line: `line ${id}`,
  run: 1,
  truncated: false
})
const ids = (lines: readonly LogLine[]) => lines.map((l) => l.id)

describe('log buffer', () => {
  it('appends live lines once each, in order, even when they repeat a page fetched meanwhile', () => {
    const buffer = fromPage({ lines: [line(1), line(2), line(3)], moreBefore: true, moreAfter: false })
    const next = appendLive(buffer, [line(3), line(5), line(4)])
    expect(ids(next.lines)).toEqual([1, 2, 3, 4, 5])
    expect(next.moreBefore).toBe(true)
    // Nothing new: the same object, so nothing re-renders.
    expect(appendLive(next, [line(2), line(5)])).toBe(next)
  })

  it('drops the oldest lines past the cap and says older ones exist', () => {
    let buffer = appendLive(EMPTY_BUFFER, [line(1), line(2), line(3)], 4)
    expect(buffer.moreBefore).toBe(false)
    buffer = appendLive(buffer, [line(4), line(5), line(6)], 4)
    expect(ids(buffer.lines)).toEqual([3, 4, 5, 6])
    expect(buffer.moreBefore).toBe(true)
  })

  it('puts older pages in front, and past the cap drops the newest and stops taking live lines', () => {
    const buffer = fromPage({ lines: [line(10), line(11)], moreBefore: true, moreAfter: false })
    const { buffer: paged, added } = prependPage(buffer, { lines: [line(8), line(9), line(10)], moreBefore: false, moreAfter: true })
    expect(added).toBe(2)
    expect(ids(paged.lines)).toEqual([8, 9, 10, 11])
    expect(paged).toMatchObject({ moreBefore: false, detached: false })
    const { buffer: capped } = prependPage(paged, { lines: [line(6), line(7)], moreBefore: true, moreAfter: true }, 5)
    expect(ids(capped.lines)).toEqual([6, 7, 8, 9, 10])
    expect(capped.detached).toBe(true)
    expect(appendLive(capped, [line(12)])).toBe(capped)
  })

  it('starts again after a hole in the live lines, leaving the hole to paging', () => {
    const buffer = fromPage({ lines: [line(1), line(2)], moreBefore: false, moreAfter: false })
    const next = restartAt(buffer, [line(900), line(899)])
    expect(ids(next.lines)).toEqual([899, 900])
    expect(next).toMatchObject({ moreBefore: true, detached: false })
    const detached = { ...buffer, detached: true }
    expect(restartAt(detached, [line(5)])).toBe(detached)
  })

  it('a page that says newer lines exist starts detached', () => {
    expect(fromPage({ lines: [line(1)], moreBefore: false, moreAfter: true }).detached).toBe(true)
  })

  it('takes only the live lines the view’s filter would have asked for', () => {
    const lines = [line(1, 'stdout'), line(2, 'stderr')]
    expect(ids(liveLinesFor({ workspace: 'web', stream: 'stderr' }, 'web', lines))).toEqual([2])
    expect(liveLinesFor({ workspace: 'api' }, 'web', lines)).toEqual([])
    expect(liveLinesFor({}, 'web', lines)).toBe(lines)
  })
})
