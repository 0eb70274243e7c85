import { useEffect, useRef, useState } from 'react'
import type { EventName, EventPayload, MethodName, MethodParams } from '../../src-main/core/contract'
import { useBridge, useConnection } from './bridge-context'

/** Names that are both a parameterless method and an event carrying the same value (`engine.status`). */
type LiveName = MethodName & EventName

/**
 * A value the core pushes as it changes: kept current by its event, and fetched whenever the link (re)opens.
 * While the link is down the last value stays (views mark it stale).
 */
export function useLiveValue<N extends LiveName>(name: N): EventPayload<N> | undefined {
  const bridge = useBridge()
  const open = useConnection().state === 'open'
  const [value, setValue] = useState<EventPayload<N>>()
  const pushes = useRef(0)

  useEffect(
    () =>
      bridge.subscribe(name, (payload) => {
        pushes.current += 1
        setValue(payload)
      }),
    [bridge, name]
  )

  useEffect(() => {
    if (!open) return
    let current = true
    // An event that arrives while the call is in flight is newer than its answer, which is then dropped.
    const pushesBefore = pushes.current
    bridge.call(name, {} as MethodParams<N>).then(
      (result) => {
        if (current && pushes.current === pushesBefore) setValue(result as EventPayload<N>)
      },
      // The link dropped: the next open fetches again.
      () => undefined
    )
    return () => {
      current = false
    }
  }, [bridge, name, open])

  return value
}
