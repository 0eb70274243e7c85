import { describe, expect, it } from 'vitest'
import { stripAnsi } from './ansi'

describe('stripAnsi', () => {
  it('removes CSI, OSC and two-character escapes, leaving the text', () => {
    expect(stripAnsi('\x1b[31mred\x1b[0m \x1b]0;title\x07done \x1b[2K\x1b[1Gx')).toBe('red done x')
    expect(stripAnsi('plain')).toBe('plain')
  })

  it('removes the one-byte C1 CSI and an OSC cut short by the end of the line', () => {
    expect(stripAnsi('\x9b31mred\x9b0m')).toBe('red')
    expect(stripAnsi('before\x1b]8;;http://x')).toBe('before')
  })
})
