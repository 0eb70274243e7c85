import { useCallback, useEffect, useRef, useState } from 'react'
import type { ErrorContext, ErrorGroup, TimelineEvent } from '../../../src-main/core/contract'
import { callError, isLinkError, type CallError } from '../../bridge/bridge'
import { useBridge } from '../../app/bridge-context'
import { useCallWhileOpen } from '../../app/use-call-while-open'
import { sortErrors, upsertError } from './history-model'

export interface Loaded<T> {
  /** Undefined until the first answer. */
  value?: T
  error?: CallError
}

/** Error groups (all workspaces, or one), kept current by `history.errors` events. */
export function useErrors(workspace: string | undefined): Loaded<ErrorGroup[]> {
  const bridge = useBridge()
  const [state, setState] = useState<Loaded<ErrorGroup[]>>({})
  const pushed = useRef<ErrorGroup[]>([])

  useEffect(() => {
    setState({})
    pushed.current = []
    return bridge.subscribe('history.errors', ({ error }) => {
      if (workspace !== undefined && error.workspace !== workspace) return
      pushed.current.push(error)
      setState((current) => (current.value === undefined ? current : { value: upsertError(current.value, error) }))
    })
  }, [bridge, workspace])

  useCallWhileOpen(
    (link) => link.call('history.errors', workspace ? { workspace } : {}),
    (errors) => {
      // Groups counted up while the call was out are newer than its answer.
      let value = sortErrors(errors)
      for (const error of pushed.current) value = upsertError(value, error)
      pushed.current = []
      setState({ value })
    },
    { key: workspace, onError: (error) => setState((current) => ({ ...current, error })) }
  )
  return state
}

const TIMELINE_PAGE = 200

export interface Timeline extends Loaded<TimelineEvent[]> {
  /** Older entries exist than the last one held. */
  more: boolean
  loadOlder(): void
}

/** A workspace's timeline, newest first, kept current by `history.events`. */
export function useTimeline(workspace: string | undefined): Timeline {
  const bridge = useBridge()
  const [state, setState] = useState<Loaded<TimelineEvent[]> & { more: boolean }>({ more: false })

  useEffect(() => {
    setState({ more: false })
    return bridge.subscribe('history.events', ({ event }) => {
      if (workspace !== undefined && event.workspace !== workspace) return
      setState((current) => (current.value === undefined || current.value.some((e) => e.id === event.id) ? current : { ...current, value: [event, ...current.value] }))
    })
  }, [bridge, workspace])

  useCallWhileOpen(
    (link) => link.call('history.events', { ...(workspace ? { workspace } : {}), limit: TIMELINE_PAGE }),
    (events) => setState((current) => ({ value: mergeEvents(current.value ?? [], events), more: events.length === TIMELINE_PAGE })),
    { key: workspace, onError: (error) => setState((current) => ({ ...current, error })) }
  )

  const oldest = state.value?.at(-1)?.id
  const loadOlder = useCallback(() => {
    if (oldest === undefined) return
    bridge.call('history.events', { ...(workspace ? { workspace } : {}), before: oldest, limit: TIMELINE_PAGE }).then(
      (events) => setState((current) => ({ value: mergeEvents(current.value ?? [], events), more: events.length === TIMELINE_PAGE })),
      (err: unknown) => {
        const error = callError(err)
        if (!isLinkError(error)) setState((current) => ({ ...current, error }))
      }
    )
  }, [bridge, oldest, workspace])

  return { ...state, loadOlder }
}

/** Newest first, each entry once. */
function mergeEvents(held: readonly TimelineEvent[], incoming: readonly TimelineEvent[]): TimelineEvent[] {
  const byId = new Map<number, TimelineEvent>()
  for (const event of [...held, ...incoming]) byId.set(event.id, event)
  return [...byId.values()].sort((a, b) => b.id - a.id)
}

/** The lines of an error's run around its last occurrence, anchored on the line it starts at (`at`). */
export function useErrorContext(workspace: string, fingerprint: string): Loaded<ErrorContext> {
  const [state, setState] = useState<Loaded<ErrorContext>>({})
  useCallWhileOpen(
    (link) => link.call('history.errorContext', { workspace, fingerprint }),
    (value) => setState({ value }),
    { key: `${workspace}/${fingerprint}`, onError: (error) => setState({ error }) }
  )
  return state
}
