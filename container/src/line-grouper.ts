import type { Clock, Timer } from './clock'
import { looksLikeJsonObject } from './json-log'
import { NODE_LOCATION_PREAMBLE } from './source-location'

/**
 * Groups consecutive output lines that belong together (an error header with its stack trace,
 * code frame, error properties and trailer) so the classifier sees one error, not thirty lines.
 *
 * A small state machine per stream: a line starts a group; following lines join it while they look
 * like continuations (indented, blank, box-drawing code frames, "}" closing an error's properties,
 * "> 1 |" code-frame lines, "Require stack:", "Node.js v22" trailers, more lines with the same npm/gyp
 * prefix), unless they carry Next.js's "⨯" marker, which always starts an error. A header that
 * opens a body (a line ending with ":") also takes the next line at the left margin whatever it
 * looks like, so "[PARSE_ERROR] …" joins "Build failed with 1 error:". Node's uncaught-error
 * preamble ("/app/x.js:12") takes the source line below it, then waits for its "TypeError: …".
 * A group ends at the first line that is none of these, after `flushMs` of silence, at
 * `maxLines`, or on flush(). A JSON object line is always a group of its own.
 */
export class LineGrouper {
  private lines: string[] = []
  /** What the open group still waits for: Node's source line after a preamble, or a header's body. */
  private expecting: 'source' | 'body' | null = null
  private lastLineAt = 0
  private timer: Timer | null = null

  constructor(
    private readonly options: { clock: Clock; flushMs: number; maxLines: number; onGroup: (lines: string[]) => void }
  ) {}

  push(line: string): void {
    if (looksLikeJsonObject(line)) {
      this.flush()
      this.options.onGroup([line])
      return
    }
    if (this.lines.length > 0 && !this.joins(line)) this.flush()
    const first = this.lines.length === 0
    this.lines.push(line)
    // Only a line at the left margin is the body a header waits for: the indented caret and code
    // frames come before the "SyntaxError: …" that Node's preamble is waiting for.
    if (this.expecting === 'source') this.expecting = 'body'
    else if (first || /^\S/.test(line)) this.expecting = expectationAfter(line)
    this.lastLineAt = this.options.clock.now()
    if (this.lines.length >= this.options.maxLines) this.flush()
    else this.armTimer(this.options.flushMs)
  }

  /** Emits the open group now (end of a run, or before a record that must follow it). */
  flush(): void {
    this.timer?.cancel()
    this.timer = null
    const lines = this.lines
    this.lines = []
    this.expecting = null
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop()
    if (lines.some((l) => l.trim() !== '')) this.options.onGroup(lines)
  }

  private joins(line: string): boolean {
    if (ENTRY_MARKER.test(line)) return false
    if (this.expecting !== null || line.trim() === '' || CONTINUATION.test(line)) return true
    const prefix = toolPrefix(line)
    const previous = [...this.lines].reverse().find((l) => l.trim() !== '')
    return prefix !== null && previous !== undefined && toolPrefix(previous) === prefix
  }

  // One timer per quiet period rather than one per line: chatty apps print thousands of lines.
  private armTimer(ms: number): void {
    if (this.timer) return
    this.timer = this.options.clock.setTimer(ms, () => {
      this.timer = null
      const quietFor = this.options.clock.now() - this.lastLineAt
      if (quietFor >= this.options.flushMs) this.flush()
      else this.armTimer(this.options.flushMs - quietFor)
    })
  }
}

const CONTINUATION = new RegExp(
  [
    String.raw`^\s`, // indented: stack frames, code frames, error properties
    String.raw`^[\u2500-\u257f]`, // box-drawing code frames (rolldown, oxc)
    String.raw`^>\s*\d+\s*\|`, // the marked line of a babel-style code frame ("> 1 | import …")
    String.raw`^[}\]]`, // the end of an error's printed properties
    String.raw`^Node\.js v\d`,
    String.raw`^Require stack:`,
    String.raw`^- (?:/|file:)`, // entries of a "Require stack:"
    String.raw`^Emitted 'error' event`,
    String.raw`^Caused by\b`
  ].join('|')
)

/** Next.js starts each error with "⨯" (indented); such a line always opens a new group. */
const ENTRY_MARKER = /^\s*[⨯✖]\s/

function expectationAfter(line: string): 'source' | 'body' | null {
  const trimmed = line.trimEnd()
  if (NODE_LOCATION_PREAMBLE.test(trimmed)) return 'source'
  // Next.js names the file on the marker line and the problem on the next: " ⨯ ./app/page.js:1:1".
  if (ENTRY_MARKER.test(trimmed) && /^\s*\S+\s+\S+$/.test(trimmed)) return 'body'
  return trimmed.endsWith(':') ? 'body' : null
}

const TOOL_PREFIX = /^(npm (?:error|ERR!|warn|WARN|notice)|gyp (?:ERR!|warn)|yarn (?:error|warn))\b/

function toolPrefix(line: string): string | null {
  return TOOL_PREFIX.exec(line)?.[1] ?? null
}
