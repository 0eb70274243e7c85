import { useCallback, useEffect, useRef, useState } from 'react'
import type { LogLine } from '../../../src-main/core/contract'
import { callError, isLinkError, type CallError } from '../../bridge/bridge'
import { useBridge } from '../../app/bridge-context'
import { useCallWhileOpen } from '../../app/use-call-while-open'
import { appendLive, EMPTY_BUFFER, fromPage, liveLinesFor, prependPage, restartAt, type LogBuffer, type LogFilter } from './log-buffer'

/** Lines per page asked of the core. */
export const PAGE_LINES = 500

export interface LogQuery extends LogFilter {
  /** Full-text search: the view shows matching lines, newest page first, and takes no live lines. */
  query?: string
}

export interface Logs {
  buffer: LogBuffer
  /** The first page has not come yet. */
  loading: boolean
  /** The core refused the query (a search with bad syntax) or failed. */
  error?: CallError
  /** Loads the page before the first line held; resolves to how many lines it added. */
  loadOlder(): Promise<number>
  /** The newest page again (after paging far back, when live lines could not be appended). */
  reload(): void
  /** The reader scrolled away from the newest lines (true) or back to them. */
  setPaused(paused: boolean): void
}

/** `history.logs` for a filter: the newest page, older pages on demand, and new lines as they are stored. */
export function useLogs(filter: LogQuery): Logs {
  const bridge = useBridge()
  const [buffer, setBuffer] = useState<LogBuffer>(EMPTY_BUFFER)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<CallError>()
  const [generation, setGeneration] = useState(0)
  const olderInFlight = useRef(false)
  const paused = useRef(false)
  const key = JSON.stringify(filter)
  const latest = useRef(filter)
  latest.current = filter

  // A new filter starts from nothing: live lines gathered meanwhile join the page once it comes.
  useEffect(() => {
    setBuffer(EMPTY_BUFFER)
    setLoading(true)
    setError(undefined)
  }, [key, generation])

  useCallWhileOpen(
    (link) => link.call('history.logs', { ...params(latest.current), limit: PAGE_LINES }),
    (page) => {
      setBuffer((live) => appendLive(fromPage(page), live.lines))
      setLoading(false)
    },
    {
      key: `${key}#${generation}`,
      onError: (err) => {
        setError(err)
        setLoading(false)
      }
    }
  )

  useEffect(() => {
    if (filter.query !== undefined) return
    return bridge.subscribe('history.logs', ({ workspace, lines, dropped = 0 }) => {
      const wanted = liveLinesFor(latest.current, workspace, lines)
      if (dropped > 0 && latest.current.workspace !== undefined) {
        // A flood: the core sent only its newest lines. A reader scrolled back keeps the window as it is. (Across
        // every workspace the window is not restarted: the other workspaces' lines would go with it.)
        setBuffer((current) => (paused.current ? { ...current, detached: true } : restartAt(current, wanted)))
      } else if (wanted.length > 0) setBuffer((current) => appendLive(current, wanted))
    })
    // The filter's parts, not the object: a re-render with the same filter keeps the subscription.
  }, [bridge, key, filter.query])

  const bufferRef = useRef(buffer)
  bufferRef.current = buffer
  const loadOlder = useCallback(async (): Promise<number> => {
    const first = bufferRef.current.lines[0]
    if (olderInFlight.current || first === undefined || !bufferRef.current.moreBefore) return 0
    olderInFlight.current = true
    const asked = key
    try {
      const page = await bridge.call('history.logs', { ...params(latest.current), before: first.id, limit: PAGE_LINES })
      if (asked !== JSON.stringify(latest.current)) return 0
      setBuffer((current) => prependPage(current, page).buffer)
      return page.lines.filter((line) => line.id < first.id).length
    } catch (err) {
      const failure = callError(err)
      if (!isLinkError(failure)) setError(failure)
      return 0
    } finally {
      olderInFlight.current = false
    }
  }, [bridge, key])

  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  const setPaused = useCallback((value: boolean) => {
    paused.current = value
  }, [])

  return { buffer, loading, ...(error ? { error } : {}), loadOlder, reload, setPaused }
}

function params({ workspace, stream, query }: LogQuery): { workspace?: string; stream?: LogLine['stream']; query?: string } {
  return { ...(workspace ? { workspace } : {}), ...(stream ? { stream } : {}), ...(query ? { query } : {}) }
}
