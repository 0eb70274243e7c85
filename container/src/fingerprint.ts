import { createHash } from 'node:crypto'
import type { ErrorCategory } from './protocol'

/**
 * Rewrites what varies between two occurrences of the same error into placeholders: timestamps,
 * clock times, UUIDs, hex hashes and addresses, bundler content hashes in file names, and then
 * every remaining number (ports, pids, line numbers, counters, numbered temp folders).
 */
export function normalizeForFingerprint(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<ts>')
    .replace(/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:\s?[AP]M)?\b/gi, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    // Hex runs that mix digits and letters (commit ids, content hashes); plain words like "facade" stay.
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi, '<hex>')
    // Bundler chunk names such as "error-CLo6EJKG.mjs".
    .replace(/([-.])(?=[A-Za-z0-9_]*\d)(?=[A-Za-z0-9_]*[A-Za-z])[A-Za-z0-9_]{8,}(?=\.[A-Za-z]+\b)/g, '$1<hash>')
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * The part of a message that names the error, without the reporting tool's preamble:
 * "[vite] Internal server error: Failed to resolve…" and "(client) Pre-transform error: Failed to
 * resolve…" are one error.
 */
export function coreMessage(message: string): string {
  const match = /(?:error|Error|ERROR)(?: \[[\w.]+\])?:\s+(.+)$/.exec(message)
  return match?.[1] ?? message
}

/** 16 hex characters identifying an error across occurrences, runs and monitor restarts. */
export function fingerprint(category: ErrorCategory, message: string, file?: string): string {
  const key = [category, normalizeForFingerprint(coreMessage(message)), file ? normalizeForFingerprint(file) : ''].join('\n')
  return createHash('sha256').update(key).digest('hex').slice(0, 16)
}
