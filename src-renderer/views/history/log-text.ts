/**
 * Container output is untrusted text. A log line becomes a list of plain-text segments that React renders as
 * text: SGR colour codes become styles, every other escape sequence is dropped, and the remaining control
 * characters are shown as inert symbols (␛, ␇…), so nothing a container prints can move the cursor, retitle
 * the window or hide text.
 */

export interface SegmentStyle {
  /** 0–15: the palette colours, styled by the theme; a string: an exact colour (256-colour or true colour). */
  fg?: number | string
  bg?: number | string
  bold?: boolean
  dim?: boolean
  italic?: boolean
  underline?: boolean
  inverse?: boolean
}

export interface Segment {
  text: string
  style?: SegmentStyle
  /** Part of a search match. */
  mark?: boolean
}

// CSI (ESC [ … final), OSC (ESC ] … BEL or ST), and two-byte escapes, as the monitor's own stripper knows them.
const ESCAPE = /\x1b\[([0-9;:?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/y

/** A control character as its Unicode "control picture" (U+2400…): visible, never acted on. */
function inert(char: string): string {
  const code = char.charCodeAt(0)
  if (code === 0x7f) return '\u2421'
  return String.fromCharCode(0x2400 + code)
}

// Tab stays a tab; every other C0 control and DEL is shown as a symbol. (ESC is handled first.)
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/

/** A run of visible text and where it sits in the raw line, so match ranges (raw offsets) can be laid over it. */
interface Run {
  text: string
  rawStart: number
  style: SegmentStyle | undefined
}

/** Splits a raw line into styled runs, each visible character one-to-one with a raw character. */
function runs(line: string): Run[] {
  const out: Run[] = []
  let style: SegmentStyle | undefined
  let text = ''
  let start = 0
  const flush = (next: number): void => {
    if (text !== '') out.push({ text, rawStart: start, style })
    text = ''
    start = next
  }
  let i = 0
  while (i < line.length) {
    const char = line[i]!
    if (char === '\x1b') {
      ESCAPE.lastIndex = i
      const escape = ESCAPE.exec(line)
      if (escape !== null) {
        flush(i + escape[0].length)
        if (escape[2] === 'm') style = applySgr(style, escape[1] ?? '')
        i += escape[0].length
        continue
      }
    }
    if (text === '') start = i
    text += CONTROL.test(char) || char === '\x1b' ? inert(char) : char
    i += 1
  }
  flush(line.length)
  return out
}

/** The visible text of a line: escapes removed, control characters as symbols. */
export function visibleText(line: string): string {
  return runs(line)
    .map((run) => run.text)
    .join('')
}

/** A line as segments, with `matches` ([start, end) offsets into the raw line) marked. */
export function logSegments(line: string, matches: readonly (readonly [number, number])[] = []): Segment[] {
  const ranges = [...matches].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0])
  const out: Segment[] = []
  for (const run of runs(line)) {
    let offset = 0
    const end = run.rawStart + run.text.length
    // Cut the run at every match border that falls inside it.
    const cuts = new Set<number>([run.rawStart, end])
    for (const [s, e] of ranges) {
      if (s > run.rawStart && s < end) cuts.add(s)
      if (e > run.rawStart && e < end) cuts.add(e)
    }
    const borders = [...cuts].sort((a, b) => a - b)
    for (let b = 0; b < borders.length - 1; b++) {
      const from = borders[b]!
      const to = borders[b + 1]!
      const piece = run.text.slice(offset, offset + (to - from))
      offset += to - from
      const mark = ranges.some(([s, e]) => s <= from && e >= to)
      out.push({ text: piece, ...(run.style ? { style: run.style } : {}), ...(mark ? { mark: true } : {}) })
    }
  }
  return out
}

const BASIC_FG = (n: number): number | undefined => (n >= 30 && n <= 37 ? n - 30 : n >= 90 && n <= 97 ? n - 90 + 8 : undefined)
const BASIC_BG = (n: number): number | undefined => (n >= 40 && n <= 47 ? n - 40 : n >= 100 && n <= 107 ? n - 100 + 8 : undefined)

/** The style after one SGR sequence (`ESC [ params m`). Unknown parameters are ignored. */
export function applySgr(style: SegmentStyle | undefined, params: string): SegmentStyle | undefined {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)))
  let next: SegmentStyle = { ...style }
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!
    if (code === 0) next = {}
    else if (code === 1) next.bold = true
    else if (code === 2) next.dim = true
    else if (code === 3) next.italic = true
    else if (code === 4) next.underline = true
    else if (code === 7) next.inverse = true
    else if (code === 22) {
      delete next.bold
      delete next.dim
    }
    else if (code === 23) delete next.italic
    else if (code === 24) delete next.underline
    else if (code === 27) delete next.inverse
    else if (code === 39) delete next.fg
    else if (code === 49) delete next.bg
    else if (BASIC_FG(code) !== undefined) next.fg = BASIC_FG(code)
    else if (BASIC_BG(code) !== undefined) next.bg = BASIC_BG(code)
    else if (code === 38 || code === 48) {
      const { colour, used } = extendedColour(codes, i + 1)
      if (colour !== undefined) next[code === 38 ? 'fg' : 'bg'] = colour
      i += used
    }
  }
  return Object.keys(next).length === 0 ? undefined : next
}

/** `5;n` (the 256-colour palette) or `2;r;g;b` after a 38/48; how many parameters it took. */
function extendedColour(codes: number[], at: number): { colour: number | string | undefined; used: number } {
  const mode = codes[at]
  if (mode === 5) {
    const n = codes[at + 1]
    if (n === undefined || n < 0 || n > 255) return { colour: undefined, used: 2 }
    return { colour: n < 16 ? n : palette256(n), used: 2 }
  }
  if (mode === 2) {
    const rgb = codes.slice(at + 1, at + 4)
    if (rgb.length < 3 || rgb.some((v) => !(v >= 0 && v <= 255))) return { colour: undefined, used: 4 }
    return { colour: `rgb(${rgb.join(' ')})`, used: 4 }
  }
  return { colour: undefined, used: 0 }
}

/** xterm's 256-colour palette above the 16 basic colours: a 6×6×6 cube, then 24 greys. */
function palette256(n: number): string {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10
    return `rgb(${v} ${v} ${v})`
  }
  const i = n - 16
  const level = (x: number): number => (x === 0 ? 0 : 55 + x * 40)
  return `rgb(${level(Math.floor(i / 36))} ${level(Math.floor(i / 6) % 6)} ${level(i % 6)})`
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug'

const JSON_LEVEL = /"(?:level|severity|lvl)"\s*:\s*(?:"([a-zA-Z]+)"|(\d+))/
const ERROR_WORDS = /\b(?:FATAL|ERROR|ERR!|CRITICAL|panic:|Uncaught|Unhandled)|\b[A-Z][A-Za-z]*Error\b|^\s*Error:|\berror(?:\[|:)|^\s+at\s+\S|^\s*✘|\[error\]/
const WARN_WORDS = /\b(?:WARN|WARNING|Warning:|DeprecationWarning|warn(?:\[|:)|npm warn)|\[warn(?:ing)?\]|^\s*⚠/
const DEBUG_WORDS = /\b(?:DEBUG|TRACE|VERBOSE|debug:|trace:|verbose:)|\[debug\]/

const PINO = (n: number): LogLevel => (n >= 50 ? 'error' : n >= 40 ? 'warn' : n >= 30 ? 'info' : 'debug')
const NAMED: Record<string, LogLevel> = { fatal: 'error', error: 'error', err: 'error', critical: 'error', warn: 'warn', warning: 'warn', info: 'info', notice: 'info', debug: 'debug', trace: 'debug', verbose: 'debug' }

/**
 * A line's level, guessed from its text as a reader would: JSON loggers' `level` field, then the words tools
 * print (ERROR, npm ERR!, TypeError, stack frames, WARN, DEBUG). The records carry no level of their own.
 */
export function logLevel(line: string): LogLevel {
  const text = line.includes('\x1b') ? visibleText(line) : line
  const json = text.trimStart().startsWith('{') ? JSON_LEVEL.exec(text) : null
  if (json) {
    if (json[2] !== undefined) return PINO(Number(json[2]))
    const named = NAMED[json[1]!.toLowerCase()]
    if (named) return named
  }
  if (ERROR_WORDS.test(text)) return 'error'
  if (WARN_WORDS.test(text)) return 'warn'
  if (DEBUG_WORDS.test(text)) return 'debug'
  return 'info'
}

/** Which levels a filter shows: everything, warnings and errors, or errors alone. */
export type LevelFilter = 'all' | 'warn' | 'error'

export function levelShown(level: LogLevel, filter: LevelFilter): boolean {
  if (filter === 'all') return true
  if (filter === 'error') return level === 'error'
  return level === 'error' || level === 'warn'
}
