import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react'
import type { LogLine } from '../../../src-main/core/contract'
import { ErrorDetails } from '../../components/ErrorDetails'
import { Icon } from '../../components/Icon'
import { levelShown, logLevel, type LevelFilter } from './log-text'
import { LogList, type FollowState } from './LogList'
import { useLogs } from './use-logs'

/** Typing pauses this long before a search is sent. */
const SEARCH_DELAY_MS = 300

interface LogsPanelProps {
  /** One workspace's logs, or every workspace's. */
  workspace: string | undefined
  /** Extra controls at the start of the toolbar (the workspace filter of the Logs page). */
  filters?: ReactNode
  /** The workspace was removed: its kept lines are all there will be. */
  ended?: boolean
}

/** Live logs with search, stream and level filters. */
export function LogsPanel({ workspace, filters, ended = false }: LogsPanelProps) {
  const [typed, setTyped] = useState('')
  const query = useDebounced(typed.trim(), SEARCH_DELAY_MS)
  const [stream, setStream] = useState<LogLine['stream'] | ''>('')
  const [level, setLevel] = useState<LevelFilter>('all')
  const ids = { search: useId(), stream: useId(), level: useId() }

  const filter = useMemo(
    () => ({ ...(workspace ? { workspace } : {}), ...(stream ? { stream } : {}), ...(query ? { query } : {}) }),
    [workspace, stream, query]
  )
  const logs = useLogs(filter)
  const deferredLines = useDeferredValue(logs.buffer.lines)
  const shown = useMemo(() => (level === 'all' ? deferredLines : deferredLines.filter((line) => levelShown(logLevel(line.line), level))), [deferredLines, level])
  const searching = query !== ''
  const [follow, setFollow] = useState<FollowState>({ paused: false })
  const jump = useRef<(() => void) | null>(null)
  const paused = follow.paused && !searching && shown.length > 0 ? follow : undefined

  return (
    <div className="logs-panel" data-testid="logs-panel">
      <div className="log-toolbar" role="search">
        {filters}
        <div className="log-toolbar__search">
          <Icon name="search" size={14} className="log-toolbar__search-icon" />
          <label className="visually-hidden" htmlFor={ids.search}>
            Search the logs
          </label>
          <input
            id={ids.search}
            className="field__input log-toolbar__input"
            type="search"
            placeholder="Search the logs"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setTyped('')
            }}
            maxLength={500}
            spellCheck={false}
            data-testid="log-search"
          />
        </div>
        <label className="visually-hidden" htmlFor={ids.stream}>
          Stream
        </label>
        <select id={ids.stream} className="field__input log-toolbar__select" value={stream} onChange={(event) => setStream(event.target.value as LogLine['stream'] | '')} data-testid="log-stream">
          <option value="">All streams</option>
          <option value="stdout">stdout</option>
          <option value="stderr">stderr</option>
        </select>
        <label className="visually-hidden" htmlFor={ids.level}>
          Level
        </label>
        <select id={ids.level} className="field__input log-toolbar__select" value={level} onChange={(event) => setLevel(event.target.value as LevelFilter)} data-testid="log-level">
          <option value="all">All levels</option>
          <option value="warn">Warnings and errors</option>
          <option value="error">Errors</option>
        </select>
      </div>

      {logs.error && <ErrorDetails error={logs.error} title={searching ? 'The search could not run.' : 'The logs could not be read.'} testId="logs-error" />}

      <p className="log-status" aria-live="polite" data-testid="log-status" data-paused={paused !== undefined}>
        {statusText({ loading: logs.loading, searching, query, held: logs.buffer.lines.length, shown: shown.length, moreBefore: logs.buffer.moreBefore, level })}
        {!logs.loading && !searching && (paused ? ` · paused — ${pausedText(paused)}` : ended ? ' · removed, nothing new comes' : ' · live')}
        {paused && (
          <button type="button" className="link-button log-status__live" onClick={() => jump.current?.()} data-testid="log-go-live">
            Back to live
          </button>
        )}
      </p>

      {shown.length === 0 ? (
        <div className="log-empty" data-testid="logs-empty">
          {logs.loading ? <span className="skeleton skeleton--line" /> : emptyText({ searching, level, held: logs.buffer.lines.length, workspace, ended })}
        </div>
      ) : (
        <LogList
          // A new search or filter is a new list: it starts at its newest line.
          key={JSON.stringify(filter)}
          lines={shown}
          moreBefore={logs.buffer.moreBefore}
          loadOlder={logs.loadOlder}
          detached={logs.buffer.detached}
          reload={logs.reload}
          onPausedChange={logs.setPaused}
          onFollowChange={setFollow}
          jumpRef={jump}
          live={!searching}
          showWorkspace={workspace === undefined}
          label={searching ? `Log lines matching ${query}` : workspace ? `Log lines of ${workspace}` : 'Log lines of every workspace'}
        />
      )}
    </div>
  )
}

function statusText(s: { loading: boolean; searching: boolean; query: string; held: number; shown: number; moreBefore: boolean; level: LevelFilter }): string {
  if (s.loading) return s.searching ? `Searching for “${s.query}”…` : 'Loading…'
  const more = s.moreBefore ? ' (scroll up for older)' : ''
  const count = (n: number): string => `${n.toLocaleString()} line${n === 1 ? '' : 's'}`
  const filtered = s.level === 'all' ? '' : `, ${count(s.shown)} at this level`
  if (s.searching) return `${count(s.held)} matching “${s.query}”${filtered}${more}`
  return `${count(s.held)}${filtered}${more}`
}

function pausedText({ unseen, detached }: { unseen: number; detached: boolean }): string {
  if (unseen > 0) return `${unseen.toLocaleString()} new line${unseen === 1 ? '' : 's'}`
  return detached ? 'newer lines not shown' : 'no new lines'
}

function emptyText({ searching, level, held, workspace, ended }: { searching: boolean; level: LevelFilter; held: number; workspace: string | undefined; ended: boolean }): string {
  if (held > 0 && level !== 'all') return 'No line at this level among the lines loaded.'
  if (searching) return 'No line matches. Words match whole (“listen” does not find “Listening”; try listen*), "quotes" match a phrase.'
  if (ended) return `${workspace ?? 'It'} printed nothing before it was removed.`
  return workspace ? `${workspace} has printed nothing yet. Its lines show here as they come.` : 'No workspace has printed anything yet.'
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}
