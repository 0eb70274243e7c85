import { looksLikeJsonObject, readJsonLog, type JsonLogEntry } from './json-log'
import type { ErrorCategory, Severity } from './protocol'
import { findSourceLocation, NODE_LOCATION_PREAMBLE } from './source-location'

export interface Classification {
  category: ErrorCategory
  severity: Severity
  message: string
  file?: string
  line?: number
  column?: number
  stack?: string
}

const MAX_MESSAGE = 1000
const MAX_STACK = 8000

interface Rule {
  category: ErrorCategory
  severity: Severity | ((line: string) => Severity)
  /** Tried in order over all lines: the first pattern that matches picks the message line. */
  patterns: RegExp[]
  message?: (lines: string[], index: number) => string
}

/**
 * First matching rule wins, so the specific categories come before the broad ones: an exception
 * whose message says EADDRINUSE is "port-in-use", not "runtime".
 */
const RULES: Rule[] = [
  {
    category: 'out-of-memory',
    severity: 'fatal',
    patterns: [/JavaScript heap out of memory|FATAL ERROR: .*(?:heap|Allocation failed)|\bENOMEM\b|Cannot allocate memory|std::bad_alloc/]
  },
  {
    category: 'port-in-use',
    // Vite and Next.js move to the next port on their own ("trying another one"): a warning, not an error.
    severity: (line) => (/\btrying\b/i.test(line) ? 'warning' : 'error'),
    patterns: [/\bEADDRINUSE\b|address already in use|\bport \d+ is (?:already )?in use/i]
  },
  {
    category: 'dependency-install',
    severity: (line) => (/^(?:npm warn|npm WARN|yarn warn)/.test(line) ? 'warning' : 'error'),
    patterns: [/^npm (?:error|ERR!) (?!code\b)/, /^npm (?:error|ERR!|warn|WARN)\b/, /^gyp ERR!|\bERR_PNPM_\w+|^yarn (?:error|warn)\b|\bERESOLVE\b/],
    message: npmMessage
  },
  { category: 'typescript', severity: 'error', patterns: [/\berror TS\d+:/], message: typescriptMessage },
  {
    category: 'module-not-found',
    severity: 'error',
    patterns: [
      /Cannot find (?:module|package) ['"]|Failed to resolve import|Could not resolve ['"]|Can't resolve ['"]|Module not found/,
      /\b(?:ERR_)?MODULE_NOT_FOUND\b|\bUNRESOLVED_IMPORT\b/
    ]
  },
  {
    category: 'syntax',
    severity: 'error',
    patterns: [
      /\bSyntaxError\b|\bPARSE_ERROR\b|Expected .+ (?:but found|got) |Unexpected (?:token|identifier|end of input)|Unterminated (?:string|template|regular expression)/,
      /Transform failed|Failed to compile|Failed to parse|\bParse error\b|\bSyntax Error\b/
    ]
  },
  {
    category: 'network',
    severity: 'error',
    patterns: [/\b(?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b|socket hang up|fetch failed|getaddrinfo/]
  },
  {
    category: 'runtime',
    severity: 'error',
    patterns: [
      /^\s*(?:[⨯✖]\s+)?(?:Uncaught\s+)?(?:[A-Z]\w*)?(?:Error|Exception)(?: \[[\w.]+\])?: \S/,
      /^Traceback \(most recent call last\):|UnhandledPromiseRejection|^panic: /
    ]
  },
  {
    category: 'other',
    severity: (line) => (/FATAL|PANIC|CRITICAL|level=(?:fatal|critical)/i.test(line) ? 'fatal' : 'error'),
    patterns: [/(?:^|[\s[(])(?:ERROR|FATAL|CRITICAL|PANIC)(?:[\])\s:]|$)|^\s*\[?(?:error|fatal|err!?)\]?(?::|\s-\s)|\blevel=(?:error|fatal|critical)\b|\berror:\s/i]
  },
  {
    category: 'other',
    severity: 'warning',
    patterns: [/^\s*\(node:\d+\) (?:\[\w+\] )?\w*Warning:|\bDeprecationWarning\b|(?:^|[\s[(])(?:WARN|WARNING)(?:[\])\s:]|$)|^\s*\[?(?:warn|warning)\]?(?::|\s-\s)|\blevel=warn(?:ing)?\b|^\(!\) /i]
  }
]

/** A group that opens with a tool's warning marker stays a warning whatever its body mentions. */
const WARNING_HEADER = /^\s*(?:\(!\)|⚠|npm warn|warn(?:ing)?\b|\[?WARN(?:ING)?\]?[\s:])/i

/**
 * Classifies one group of output lines (see LineGrouper), ANSI escapes already removed.
 * Undefined when the group is not an error or warning.
 */
export function classifyGroup(lines: string[]): Classification | undefined {
  if (lines.length === 1 && looksLikeJsonObject(lines[0]!)) {
    const json = readJsonLog(lines[0]!)
    if (json) return classifyJsonLog(json)
  }
  const matched = matchRule(withoutQuotedSource(lines))
  if (!matched) return undefined
  const { rule, index } = matched
  let severity = typeof rule.severity === 'function' ? rule.severity(lines[index]!) : rule.severity
  if (severity === 'error' && WARNING_HEADER.test(lines[0]!)) severity = 'warning'
  const message = cleanMessage((rule.message ?? ((l, i) => l[i]!))(lines, index))
  return withDetails({ category: rule.category, severity, message }, lines)
}

function classifyJsonLog(json: JsonLogEntry): Classification | undefined {
  if (!json.severity) return undefined
  const text = [json.message, json.code ?? '', json.stack ?? ''].join('\n').split('\n')
  const category = matchRule(text)?.rule.category ?? (json.stack ? 'runtime' : 'other')
  const result: Classification = { category, severity: json.severity, message: cleanMessage(json.message) }
  const location = json.stack ? findSourceLocation(json.stack.split('\n')) : undefined
  if (location) Object.assign(result, location)
  if (json.stack) result.stack = json.stack.slice(0, MAX_STACK)
  return result
}

/**
 * Below Node's "/app/x.js:12" preamble come a line of the app's source and a caret: code, not a
 * message, so rules must not match `throw new ERR_MODULE_NOT_FOUND(…)` there.
 */
function withoutQuotedSource(lines: string[]): string[] {
  if (!NODE_LOCATION_PREAMBLE.test(lines[0] ?? '')) return lines
  return lines.map((line, i) => (i === 1 || (i === 2 && /^\s*\^+\s*$/.test(line)) ? '' : line))
}

function matchRule(lines: string[]): { rule: Rule; index: number } | undefined {
  for (const rule of RULES) {
    for (const pattern of rule.patterns) {
      const index = lines.findIndex((line) => pattern.test(line))
      if (index !== -1) return { rule, index }
    }
  }
  return undefined
}

function withDetails(base: Classification, lines: string[]): Classification {
  const location = findSourceLocation(lines)
  if (location) Object.assign(base, location)
  if (lines.length > 1) base.stack = lines.join('\n').slice(0, MAX_STACK)
  return base
}

/**
 * Leading timestamps say when, not what (the record has its own `ts`); error markers ("⨯") and
 * column padding are layout. They go.
 */
function cleanMessage(message: string): string {
  return message
    .replace(/^\s*\[?(?:\d{4}-\d{2}-\d{2}[T ][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?|\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:\s?[AP]M)?)\]?\s+/i, '')
    .replace(/^\s*[⨯✖]\s*/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_MESSAGE)
}

/** npm names the code on one line and the problem on the next: "E404: 404 Not Found - GET …". */
function npmMessage(lines: string[], index: number): string {
  const strip = (line: string) => line.replace(/^(?:npm (?:error|ERR!|warn|WARN)|gyp ERR!|yarn (?:error|warn))\s*/, '')
  const code = lines.map((l) => /^npm (?:error|ERR!) code (\S+)/.exec(l)?.[1]).find(Boolean)
  const text = strip(lines[index]!)
  return code && !text.startsWith(code) ? `${code}: ${text}` : text
}

/** "src/a.ts(3,7): error TS2322: Type …" → "TS2322: Type …" (the location has its own fields). */
function typescriptMessage(lines: string[], index: number): string {
  const line = lines[index]!
  return /\berror (TS\d+: .*)$/.exec(line)?.[1] ?? line
}
