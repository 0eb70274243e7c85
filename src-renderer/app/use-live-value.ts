import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { EventName, EventPayload, MethodName, MethodParams } from '../../src-main/core/contract'
import type { Bridge, CallError } from '../bridge/bridge'
import { useBridge } from './bridge-context'
import { useCallWhileOpen } from './use-call-while-open'

/** Names that are both a parameterless method and an event carrying the same value (`engine.status`). */
type LiveName = MethodName & EventName

export interface Followed<T> {
  /** Undefined until the first answer (or event). */
  value?: T
  error?: CallError
}

export interface FollowedValue<T> extends Followed<T> {
  /** Shows a value known to be the newest (the answer to this window's own change), like an event would. */
  put(value: T): void
}

interface FollowOptions<T, E extends EventName> {
  /** Fetches the whole value; asked whenever the link (re)opens. */
  ask: (bridge: Bridge) => Promise<T>
  event: E
  /** The value after one event (`current` is undefined before the first answer). */
  apply: (current: T | undefined, payload: EventPayload<E>) => T | undefined
  /**
   * What an event carries. `whole`: the value itself, so an answer that was on its way when it came is older and
   * dropped. `change`: a change to the value, which an answer on its way may or may not include, so it asks again.
   */
  events: 'whole' | 'change'
}

/**
 * A value fetched by one method and kept current by one event. Events are counted before the ask, so one that
 * arrives while the answer is on its way is never lost under that (older) answer.
 */
export function useFollowed<T, E extends EventName>({ ask, event, apply, events }: FollowOptions<T, E>): FollowedValue<T> {
  const bridge = useBridge()
  const [state, setState] = useState<Followed<T>>({})
  const pushes = useRef(0)
  const [asks, setAsks] = useState(0)
  const latestApply = useRef(apply)
  useLayoutEffect(() => {
    latestApply.current = apply
  })

  useEffect(
    () =>
      bridge.subscribe(event, (payload) => {
        pushes.current += 1
        setState((previous) => ({ value: latestApply.current(previous.value, payload) }))
      }),
    [bridge, event]
  )

  useCallWhileOpen(
    async (link) => {
      const pushesBefore = pushes.current
      return { value: await ask(link), pushesBefore }
    },
    (answer) => {
      if (pushes.current === answer.pushesBefore) setState({ value: answer.value })
      else if (events === 'change') setAsks((count) => count + 1)
    },
    { key: `${event}\n${asks}`, onError: (error) => setState((previous) => ({ ...previous, error })) }
  )

  const put = useCallback((value: T) => {
    pushes.current += 1
    setState({ value })
  }, [])

  return { ...state, put }
}

/**
 * A value the core pushes as it changes: kept current by its event, and fetched whenever the link (re)opens.
 * While the link is down the last value stays (views mark it stale).
 */
export function useLiveValue<N extends LiveName>(name: N): EventPayload<N> | undefined {
  return useFollowed<EventPayload<N>, N>({
    ask: (link) => link.call(name, {} as MethodParams<N>) as Promise<EventPayload<N>>,
    event: name,
    apply: (_, payload) => payload,
    events: 'whole',
  }).value
}
