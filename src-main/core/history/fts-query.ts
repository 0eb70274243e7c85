/**
 * The search box's text as an FTS5 query, and where it matched in a line. Users type words, not FTS5: a bare
 * word with punctuation (`main.js`, `ECONNREFUSED:`) is an FTS5 syntax error, so every bare word becomes a
 * quoted string (FTS5 tokenizes it into a phrase), "phrases" stay phrases, a trailing * stays a prefix, and
 * AND / OR / NOT stay operators. Anything else FTS5 would read as syntax is quoted, so no input is refused.
 */

import { ANSI } from '../../../container/src/ansi'

export interface SearchTerm {
  /** Lower-case tokens in order (a phrase when more than one). */
  tokens: string[]
  /** The last token is a prefix. */
  prefix: boolean
}

export interface ParsedSearch {
  fts: string
  /** What a line must contain somewhere to be highlighted: every term, whatever the operators. */
  terms: SearchTerm[]
}

const OPERATORS = new Set(['AND', 'OR', 'NOT'])
/** unicode61's idea of a token: letters, digits (and marks); everything else separates. */
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu

export function tokenize(text: string): string[] {
  return (text.match(TOKEN) ?? []).map(fold)
}

/** As the index compares tokens (unicode61, remove_diacritics 2): case and diacritics folded. */
function fold(token: string): string {
  return token.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

export function parseSearch(input: string): ParsedSearch {
  const parts: string[] = []
  const terms: SearchTerm[] = []
  // "quoted phrase" (with an optional *), or a run of non-space characters.
  for (const match of input.matchAll(/"([^"]*)"(\*?)|(\S+)/g)) {
    const [, phrase, star, bare] = match
    if (bare !== undefined && OPERATORS.has(bare)) {
      // An operator needs a term on its left: a leading or doubled one is dropped.
      if (parts.length > 0 && !OPERATORS.has(parts.at(-1)!)) parts.push(bare)
      continue
    }
    const raw = phrase ?? bare!.replace(/\*+$/, '')
    const prefix = phrase !== undefined ? star === '*' : /\*$/.test(bare!)
    const tokens = tokenize(raw)
    if (tokens.length === 0) continue
    parts.push(`"${tokens.join(' ')}"${prefix ? '*' : ''}`)
    terms.push({ tokens, prefix })
  }
  while (parts.length > 0 && OPERATORS.has(parts.at(-1)!)) parts.pop()
  return { fts: parts.join(' '), terms }
}

/**
 * [start, end) ranges of `line` (JavaScript string indices) where the terms match, as FTS5 matched them:
 * case-insensitive whole tokens, the last token of a prefix term as a prefix; escape sequences in the line
 * are skipped, so a coloured word is found and its range covers the word alone. Sorted, not overlapping.
 */
export function matchRanges(line: string, terms: SearchTerm[]): Array<[number, number]> {
  const tokens: Array<{ text: string; start: number; end: number }> = []
  const visible = visibleSpans(line)
  for (const span of visible) {
    for (const m of span.text.matchAll(TOKEN)) tokens.push({ text: fold(m[0]), start: span.start + m.index, end: span.start + m.index + m[0].length })
  }
  const ranges: Array<[number, number]> = []
  for (const term of terms) {
    const n = term.tokens.length
    for (let i = 0; i + n <= tokens.length; i++) {
      let ok = true
      for (let k = 0; k < n && ok; k++) {
        const want = term.tokens[k]!
        const have = tokens[i + k]!.text
        ok = term.prefix && k === n - 1 ? have.startsWith(want) : have === want
      }
      if (ok) ranges.push([tokens[i]!.start, tokens[i + n - 1]!.end])
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const merged: Array<[number, number]> = []
  for (const range of ranges) {
    const last = merged.at(-1)
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1])
    else merged.push([range[0], range[1]])
  }
  return merged
}

/** The parts of a line between escape sequences, with their offsets. */
function visibleSpans(line: string): Array<{ text: string; start: number }> {
  const spans: Array<{ text: string; start: number }> = []
  let from = 0
  for (const m of line.matchAll(ANSI)) {
    if (m.index > from) spans.push({ text: line.slice(from, m.index), start: from })
    from = m.index + m[0].length
  }
  if (from < line.length) spans.push({ text: line.slice(from), start: from })
  return spans
}
