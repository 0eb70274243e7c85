import { useEffect, useRef, useState } from 'react'
import type { EventName, EventPayload, MethodName, MethodParams } from '../../src-main/core/contract'
import { useBridge } from './bridge-context'
import { useCallWhileOpen } from './use-call-while-open'

/** Names that are both a parameterless method and an event carrying the same value (`engine.status`). */
type LiveName = MethodName & EventName

/**
 * A value the core pushes as it changes: kept current by its event, and fetched whenever the link (re)opens.
 * While the link is down the last value stays (views mark it stale).
 */
export function useLiveValue<N extends LiveName>(name: N): EventPayload<N> | undefined {
  const bridge = useBridge()
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

  useCallWhileOpen(
    async (link) => {
      const pushesBefore = pushes.current
      return { value: (await link.call(name, {} as MethodParams<N>)) as EventPayload<N>, pushesBefore }
    },
    // An event that arrived while the call was in flight is newer than its answer, which is then dropped.
    (answer) => {
      if (pushes.current === answer.pushesBefore) setValue(answer.value)
    },
    { key: name }
  )

  return value
}
