export interface SourceLocation {
  file: string
  line?: number
  column?: number
}

/**
 * Finds where an error points in a group of output lines (ANSI escapes already removed), trying
 * the formats of the tools we see, most specific first.
 */
export function findSourceLocation(lines: string[]): SourceLocation | undefined {
  // A tool's own format wins; one with a line number beats one that names only the file.
  let fileOnly: SourceLocation | undefined
  for (const line of lines) {
    const found = toolLocation(line)
    if (found?.line !== undefined) return found
    fileOnly ??= found
  }
  // The throwing frame has a column; the preamble is all a syntax error (no user frames) has.
  return firstUserFrame(lines) ?? nodePreamble(lines) ?? fileOnly ?? firstMentionedFile(lines)
}

const TOOL_FORMATS: RegExp[] = [
  /^(?<file>.+?)\((?<line>\d+),(?<column>\d+)\): error TS\d+:/, // tsc
  /^(?<file>\S.*?):(?<line>\d+):(?<column>\d+) - error TS\d+:/, // tsc --pretty
  /^\s*File: (?<file>.+?):(?<line>\d+):(?<column>\d+)\s*$/, // vite
  /^\s*File: (?<file>\S+)\s*$/, // vite, without a position
  /[╭┌]─\[ (?<file>.+?):(?<line>\d+):(?<column>\d+) \]/, // rolldown / oxc code frames
  /^\s*,-\[(?<file>.+?):(?<line>\d+):(?<column>\d+)\]\s*$/, // swc code frames (Next.js)
  /^\s*[⨯✖]\s+(?<file>[^\s:]+\.\w+)(?::(?<line>\d+):(?<column>\d+))?\s*$/, // Next.js: " ⨯ ./app/page.js:1:1"
  /^\s+(?<file>[\w./@-]+\.\w+):(?<line>\d+):(?<column>\d+):\s*$/, // esbuild
  /\bimported from (?<file>(?:file:\/\/)?\/\S+)$/ // node's ESM resolver
]

function toolLocation(line: string): SourceLocation | undefined {
  for (const format of TOOL_FORMATS) {
    const groups = format.exec(line)?.groups
    if (groups?.file) return location(groups.file, groups.line, groups.column)
  }
  return undefined
}

function location(file: string, line?: string, column?: string): SourceLocation {
  const result: SourceLocation = { file: fromFileUrl(file) }
  if (line !== undefined) result.line = Number(line)
  if (column !== undefined) result.column = Number(column)
  return result
}

function fromFileUrl(file: string): string {
  if (!file.startsWith('file://')) return file
  try {
    return decodeURIComponent(new URL(file).pathname)
  } catch {
    return file
  }
}

/** Node prints "path:line" (or "node:internal/x:12") above the source line of an uncaught error. */
export const NODE_LOCATION_PREAMBLE = /^(?:(?:file:\/\/)?\/\S*|node:[\w/]+):\d+$/

const isUserFile = (file: string) => !file.includes('/node_modules/')

/**
 * Node's uncaught-error preamble: "/app/x.js:12", the source line, then a caret under the column.
 * Internal ("node:events:502") and dependency locations are skipped in favour of the stack.
 */
function nodePreamble(lines: string[]): SourceLocation | undefined {
  const match = /^((?:file:\/\/)?\/\S*):(\d+)$/.exec(lines[0] ?? '')
  if (!match || !isUserFile(match[1]!)) return undefined
  const found = location(match[1]!, match[2])
  const caret = /^(\s*)\^+\s*$/.exec(lines[2] ?? '')
  if (caret) found.column = caret[1]!.length + 1
  return found
}

// Absolute, file:// or relative paths (Next.js prints "app/page.js:1:40"); "node:internal/…" never matches.
const STACK_FRAME = /^\s*at (?:.*? \()?((?:file:\/\/)?[^\s():][^():]*?):(\d+):(\d+)\)?\s*$/

function firstUserFrame(lines: string[]): SourceLocation | undefined {
  for (const line of lines) {
    const match = STACK_FRAME.exec(line)
    if (match && isUserFile(match[1]!)) return location(match[1]!, match[2], match[3])
  }
  return undefined
}

const MENTIONED_FILE = /((?:\/|\.{1,2}\/|[\w@-]+\/)[\w./@-]*\.(?:[cm]?[jt]sx?|vue|svelte|astro|css|scss|json|html)):(\d+)(?::(\d+))?/

function firstMentionedFile(lines: string[]): SourceLocation | undefined {
  for (const line of lines) {
    const match = MENTIONED_FILE.exec(line)
    if (match && isUserFile(match[1]!)) return location(match[1]!, match[2], match[3])
  }
  return undefined
}
