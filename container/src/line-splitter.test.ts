import { describe, expect, it } from 'vitest'
import { stripAnsi } from './ansi'
import { LineSplitter, type SplitLine } from './line-splitter'

function split(chunks: (string | Buffer)[], maxLength = 100): SplitLine[] {
  const out: SplitLine[] = []
  const splitter = new LineSplitter(maxLength, (l) => out.push(l))
  for (const chunk of chunks) splitter.write(chunk)
  splitter.end()
  return out
}

describe('LineSplitter', () => {
  it('splits on newlines across chunks and flushes a last unterminated line', () => {
    expect(split(['one\ntw', 'o\nthr', 'ee']).map((l) => l.line)).toEqual(['one', 'two', 'three'])
  })

  it('removes CRLF endings and keeps what a terminal shows after carriage-return redraws', () => {
    expect(split(['a\r\n', 'progress 10%\rprogress 99%\rdone\n', 'spin\r\n']).map((l) => l.line)).toEqual(['a', 'done', 'spin'])
  })

  it('decodes UTF-8 characters split between chunks', () => {
    const bytes = Buffer.from('➜ Local\n')
    expect(split([bytes.subarray(0, 2), bytes.subarray(2)]).map((l) => l.line)).toEqual(['➜ Local'])
  })

  it('caps long lines, marks them truncated and drops the rest of that line only', () => {
    const out = split(['x'.repeat(30), 'y'.repeat(30), 'z'.repeat(30) + '\nnext\n'], 50)
    expect(out).toEqual([
      { line: 'x'.repeat(30) + 'y'.repeat(20), truncated: true },
      { line: 'next', truncated: false }
    ])
  })

  it('caps a long line that arrives in one chunk with its newline', () => {
    const out = split(['a'.repeat(80) + '\nb\n'], 50)
    expect(out).toEqual([
      { line: 'a'.repeat(50), truncated: true },
      { line: 'b', truncated: false }
    ])
  })

  it('keeps empty lines', () => {
    expect(split(['a\n\nb\n']).map((l) => l.line)).toEqual(['a', '', 'b'])
  })
})

describe('stripAnsi', () => {
  it('removes colours and hyperlinks but keeps the text', () => {
    expect(stripAnsi('\x1b[96msrc/a.ts\x1b[0m:\x1b[93m1\x1b[0m - \x1b[91merror\x1b[0m')).toBe('src/a.ts:1 - error')
    expect(stripAnsi('\x1b]8;;http://x\x07link\x1b]8;;\x07')).toBe('link')
  })
})
