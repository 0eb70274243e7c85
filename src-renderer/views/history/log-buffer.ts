import type { LogLine, LogsPage } from '../../../src-main/core/contract'

/** What a log view holds: a window of lines in id order (oldest first), and what lies beyond it. */
export interface LogBuffer {
  lines: readonly LogLine[]
  /** Older lines exist than the first one held. */
  moreBefore: boolean
  /**
   * Newer lines exist than the last one held, which live lines cannot fill (the view was paged far back, or
   * lines were dropped at the bottom): "Jump to latest" loads the newest page again.
   */
  detached: boolean
}

export const EMPTY_BUFFER: LogBuffer = { lines: [], moreBefore: false, detached: false }

/** How many lines a view keeps; a workspace printing forever drops its oldest lines from the window. */
export const BUFFER_CAP = 20_000

/** The newest page, as the first answer. */
export function fromPage(page: LogsPage): LogBuffer {
  return { lines: page.lines, moreBefore: page.moreBefore, detached: page.moreAfter }
}

/**
 * Live lines appended (an event can repeat lines of a page fetched meanwhile: each id is kept once); past the
 * cap the oldest go. A detached buffer takes none: lines between its end and these would be missing.
 */
export function appendLive(buffer: LogBuffer, incoming: readonly LogLine[], cap = BUFFER_CAP): LogBuffer {
  if (buffer.detached || incoming.length === 0) return buffer
  const lastId = buffer.lines.at(-1)?.id ?? 0
  const fresh = incoming.filter((line) => line.id > lastId)
  if (fresh.length === 0) return buffer
  // Events arrive in order, but a batch is not promised to be sorted.
  if (!isSorted(fresh)) fresh.sort((a, b) => a.id - b.id)
  const lines = [...buffer.lines, ...fresh]
  const drop = Math.max(0, lines.length - cap)
  return { lines: drop > 0 ? lines.slice(drop) : lines, moreBefore: buffer.moreBefore || drop > 0, detached: false }
}

/**
 * Live lines that come after a hole (the core sent only the newest lines of a flood): the window starts again
 * at them, and the lines in the hole are older ones, paged in on demand like any others.
 */
export function restartAt(buffer: LogBuffer, incoming: readonly LogLine[]): LogBuffer {
  if (buffer.detached || incoming.length === 0) return buffer
  return { lines: [...incoming].sort((a, b) => a.id - b.id), moreBefore: true, detached: false }
}

/** An older page put in front; past the cap the newest lines go and the buffer is detached from live. */
export function prependPage(buffer: LogBuffer, page: LogsPage, cap = BUFFER_CAP): { buffer: LogBuffer; added: number } {
  const firstId = buffer.lines[0]?.id ?? Number.POSITIVE_INFINITY
  const older = page.lines.filter((line) => line.id < firstId)
  const lines = [...older, ...buffer.lines]
  const drop = Math.max(0, lines.length - cap)
  return {
    buffer: { lines: drop > 0 ? lines.slice(0, lines.length - drop) : lines, moreBefore: page.moreBefore, detached: buffer.detached || drop > 0 },
    added: older.length
  }
}

function isSorted(lines: readonly LogLine[]): boolean {
  for (let i = 1; i < lines.length; i++) if (lines[i]!.id < lines[i - 1]!.id) return false
  return true
}

/** Filters the server applies to a query; live lines are checked against the same ones. */
export interface LogFilter {
  workspace?: string
  stream?: LogLine['stream']
}

export function liveLinesFor(filter: LogFilter, workspace: string, lines: readonly LogLine[]): readonly LogLine[] {
  if (filter.workspace !== undefined && filter.workspace !== workspace) return []
  return filter.stream === undefined ? lines : lines.filter((line) => line.stream === filter.stream)
}
