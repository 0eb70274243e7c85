import { describe, expect, it } from 'vitest'
import { matchRanges, parseSearch } from './fts-query'

describe('parseSearch', () => {
  it('quotes words so punctuation is never FTS5 syntax, and keeps phrases, prefixes and operators', () => {
    expect(parseSearch('main.js').fts).toBe('"main js"')
    expect(parseSearch('ECONNREFUSED: port').fts).toBe('"econnrefused" "port"')
    expect(parseSearch('"cannot read" error* OR warn').fts).toBe('"cannot read" "error"* OR "warn"')
    expect(parseSearch('NOT a AND AND b OR').fts).toBe('"a" AND "b"')
    expect(parseSearch('((( )))').fts).toBe('')
  })
})

describe('matchRanges', () => {
  const ranges = (line: string, query: string) => matchRanges(line, parseSearch(query).terms).map(([a, b]) => line.slice(a, b))

  it('finds whole words case-insensitively, prefixes, and phrases across punctuation', () => {
    expect(ranges('Error: errors are ERROR', 'error')).toEqual(['Error', 'ERROR'])
    expect(ranges('Error: errors are ERROR', 'err*')).toEqual(['Error', 'errors', 'ERROR'])
    expect(ranges('from "src/main.js" here', 'main.js')).toEqual(['main.js'])
    expect(ranges('Café crème', 'cafe')).toEqual(['Café'])
  })

  it('skips colour codes: the range covers the word alone', () => {
    const line = '\x1b[1;31mError\x1b[0m at \x1b[33mport\x1b[39m'
    expect(ranges(line, 'error port')).toEqual(['Error', 'port'])
  })

  it('merges overlapping ranges', () => {
    expect(matchRanges('alpha beta', parseSearch('"alpha beta" beta').terms)).toEqual([[0, 10]])
  })
})
