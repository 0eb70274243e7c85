import { describe, expect, it } from 'vitest'
import { LogLineSplitter, splitTimestamp, toDockerSince } from './log-frames'

function frame(type: number, text: string | Buffer): Buffer {
  const payload = typeof text === 'string' ? Buffer.from(text) : text
  const header = Buffer.alloc(8)
  header[0] = type
  header.writeUInt32BE(payload.length, 4)
  return Buffer.concat([header, payload])
}

describe('docker log frames', () => {
  it('splits lines per stream across frame and chunk borders, including inside UTF-8 sequences', () => {
    const lines: string[] = []
    const splitter = new LogLineSplitter((stream, line) => lines.push(`${stream}:${line}`))
    const euro = Buffer.from('€')
    const all = Buffer.concat([
      frame(1, 'hel'),
      frame(2, 'oops\n'),
      frame(1, Buffer.concat([Buffer.from('lo '), euro.subarray(0, 1)])),
      frame(1, Buffer.concat([euro.subarray(1), Buffer.from('\nsecond\nthird')]))
    ])
    for (let i = 0; i < all.length; i += 3) splitter.push(all.subarray(i, i + 3))
    splitter.end()
    expect(lines).toEqual(['stderr:oops', 'stdout:hello €', 'stdout:second', 'stdout:third'])
  })

  it('reads the timestamp docker puts before each line', () => {
    expect(splitTimestamp('2026-11-23T16:30:00.123456789Z {"v":1}')).toEqual({ time: '2026-11-23T16:30:00.123456789Z', text: '{"v":1}' })
    expect(splitTimestamp('no timestamp here')).toBeUndefined()
  })

  it('turns a timestamp into docker\'s since without losing nanoseconds', () => {
    expect(toDockerSince('2026-11-23T16:30:00.123456789Z')).toBe(`${Date.UTC(2026, 10, 23, 16, 30, 0) / 1000}.123456789`)
    expect(toDockerSince('2026-11-23T16:30:00Z')).toBe(`${Date.UTC(2026, 10, 23, 16, 30, 0) / 1000}.000000000`)
    expect(() => toDockerSince('yesterday')).toThrow(/RFC 3339/)
  })

  it('never holds more than the cap of one unterminated line in memory', () => {
    const lines: string[] = []
    const splitter = new LogLineSplitter((_stream, line) => lines.push(line))
    const chunk = 'x'.repeat(16 * 1024)
    for (let i = 0; i < 80; i++) splitter.push(frame(1, chunk))
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.every((l) => l.length <= LogLineSplitter.MAX_LINE)).toBe(true)
    splitter.push(frame(1, 'tail\nnext\n'))
    expect(lines.at(-1)).toBe('next')
  })
})
