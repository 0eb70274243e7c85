import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import type { LogLine } from '../../../src-main/core/contract'
import { Icon } from '../../components/Icon'
import { logLevel } from './log-text'
import { LogText } from './LogText'
import { Time } from '../../components/Time'

/** Following new lines, or paused (scrolled up) with how many came since or whether newer ones are not held. */
export type FollowState = { paused: false } | { paused: true; unseen: number; detached: boolean }

interface LogListProps {
  lines: readonly LogLine[]
  /** Older lines can be loaded (scrolling to the top asks for them). */
  moreBefore: boolean
  loadOlder: () => Promise<number>
  /** Lines after the last one exist but are not held: "Jump to latest" reloads. */
  detached: boolean
  reload: () => void
  /** Told when the reader leaves the newest lines (true) and comes back (false). */
  onPausedChange: (paused: boolean) => void
  /** Told what the header should say: following, or paused with how many lines came since. */
  onFollowChange?: (follow: FollowState) => void
  /** Set to the list's "jump to latest", for a button outside it. */
  jumpRef?: RefObject<(() => void) | null>
  /** Live views follow new lines while scrolled to the bottom; a search result does not. */
  live: boolean
  showWorkspace: boolean
  label: string
}

/** Within this many pixels of the bottom counts as at the bottom (following). */
const BOTTOM_SLACK = 24
/** Closer than this to the top asks for older lines. */
const TOP_SLACK = 120
/** A scroll this soon after the reader's own wheel, key or pointer is theirs; any other is the list's own. */
const USER_SCROLL_MS = 600

/**
 * The log lines, virtualised: only what is on screen is in the DOM, so 20,000 held lines cost as much as 40.
 * Follows new lines while at the bottom; scrolled up it stays put and offers "Jump to latest".
 */
export function LogList({ lines, moreBefore, loadOlder, detached, reload, onPausedChange, onFollowChange, jumpRef, live, showWorkspace, label }: LogListProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const [following, setFollowing] = useState(true)
  const followingRef = useRef(true)
  const [unseen, setUnseen] = useState(0)
  // The line at the top of the view while older ones are put in front of it.
  const anchor = useRef<{ id: number; delta: number } | undefined>(undefined)
  const lastInput = useRef(0)
  const noteInput = useCallback(() => {
    lastInput.current = performance.now()
  }, [])

  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    // One unwrapped line (12 px at 1.6, plus 2 px padding); wrapped ones are measured.
    estimateSize: () => 21,
    overscan: 24,
    getItemKey: (index) => lines[index]?.id ?? index
  })

  // New lines: follow them when at the bottom, count them otherwise.
  const lastId = lines.at(-1)?.id
  const seenLast = useRef(lastId)
  useLayoutEffect(() => {
    if (lastId === seenLast.current) return
    const previous = seenLast.current
    seenLast.current = lastId
    if (anchor.current !== undefined) return
    if (followingRef.current) {
      if (lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' })
    } else if (previous !== undefined && lastId !== undefined) {
      const firstNew = lines.findIndex((line) => line.id > previous)
      if (firstNew >= 0) setUnseen((count) => count + lines.length - firstNew)
    }
  }, [lastId, lines, virtualizer])

  // Older lines put in front: the line that was at the top stays where the reader had it.
  const firstId = lines[0]?.id
  useLayoutEffect(() => {
    const held = anchor.current
    if (held === undefined) return
    const index = lines.findIndex((line) => line.id === held.id)
    anchor.current = undefined
    if (index < 0) return
    const start = virtualizer.getOffsetForIndex(index, 'start')?.[0]
    if (start !== undefined) virtualizer.scrollToOffset(start + held.delta)
  }, [firstId, lines, virtualizer])

  const loadingOlder = useRef(false)
  const onScroll = useCallback(() => {
    const element = scroller.current
    if (element === null) return
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK
    // Only the reader pauses the list: the list's own scrolls (following new lines, sizes measured after a
    // jump) leave it following, and it stays pinned to the bottom.
    const byReader = performance.now() - lastInput.current < USER_SCROLL_MS
    if (!atBottom && followingRef.current && !byReader) {
      if (lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' })
    } else if (atBottom !== followingRef.current) {
      followingRef.current = atBottom
      setFollowing(atBottom)
      onPausedChange(!atBottom)
      if (atBottom) setUnseen(0)
    }
    if (element.scrollTop < TOP_SLACK && moreBefore && !loadingOlder.current) {
      const top = virtualizer.getVirtualItems().find((item) => item.end > element.scrollTop)
      const topLine = top === undefined ? undefined : lines[top.index]
      if (topLine === undefined || top === undefined) return
      loadingOlder.current = true
      anchor.current = { id: topLine.id, delta: element.scrollTop - top.start }
      void loadOlder().then((added) => {
        loadingOlder.current = false
        if (added === 0) anchor.current = undefined
      })
    }
  }, [lines, loadOlder, moreBefore, onPausedChange, virtualizer])

  const jumpToLatest = (): void => {
    followingRef.current = true
    setFollowing(true)
    onPausedChange(false)
    setUnseen(0)
    if (detached) reload()
    else if (lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' })
  }

  const paused = live && (!following || detached)
  useEffect(() => {
    onFollowChange?.(paused ? { paused, unseen, detached } : { paused: false })
  }, [paused, unseen, detached, onFollowChange])
  useEffect(() => {
    if (jumpRef === undefined) return
    jumpRef.current = jumpToLatest
    return () => {
      jumpRef.current = null
    }
  })

  // The first lines land at the bottom, as a terminal shows them.
  const shownOnce = useRef(false)
  useEffect(() => {
    if (shownOnce.current || lines.length === 0) return
    shownOnce.current = true
    virtualizer.scrollToIndex(lines.length - 1, { align: 'end' })
  }, [lines.length, virtualizer])

  const items = virtualizer.getVirtualItems()
  return (
    <div className="log-list">
      <div
        className="log-list__scroller"
        ref={scroller}
        onScroll={onScroll}
        onWheel={noteInput}
        onKeyDown={noteInput}
        onPointerDown={noteInput}
        onTouchMove={noteInput}
        tabIndex={0}
        role="region"
        aria-label={label}
        data-testid="log-lines"
      >
        <div className="log-list__inner" style={{ height: virtualizer.getTotalSize() }}>
          <div className="log-list__window" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
            {items.map((item) => {
              const line = lines[item.index]!
              return (
                <div key={item.key} data-index={item.index} ref={virtualizer.measureElement}>
                  <LogRow line={line} showWorkspace={showWorkspace} />
                </div>
              )
            })}
          </div>
        </div>
      </div>
      {(!following || detached) && live && lines.length > 0 && (
        <button type="button" className="button button--small log-list__jump" onClick={jumpToLatest} data-testid="jump-to-latest">
          <Icon name="back" size={13} className="log-list__jump-icon" />
          {detached ? 'Jump to latest' : unseen > 0 ? `Jump to latest (${unseen} new)` : 'Jump to latest'}
        </button>
      )}
    </div>
  )
}

/** Memoised: a live batch renders its new rows only. */
const LogRow = memo(function LogRow({ line, showWorkspace }: { line: LogLine; showWorkspace: boolean }) {
  const level = logLevel(line.line)
  return (
    <div className={`log-line log-line--${level} log-line--${line.stream}`} data-testid="log-line" data-level={level} data-stream={line.stream} data-id={line.id}>
      <Time className="log-line__time" iso={line.ts} />
      {showWorkspace && (
        <span className="log-line__workspace" title={line.workspace}>
          {line.workspace}
        </span>
      )}
      <span className="log-line__text">
        {line.stream === 'stderr' && <span className="visually-hidden">stderr: </span>}
        <LogText line={line.line} matches={line.matches} />
        {line.truncated && <span className="log-line__truncated"> … (cut at 16,384 characters)</span>}
      </span>
    </div>
  )
})
