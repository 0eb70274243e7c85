import { useEffect, useLayoutEffect, useRef } from 'react'
import { callError, isLinkError, type Bridge, type CallError } from '../bridge/bridge'
import { useBridge, useConnection } from './bridge-context'

interface Options {
  /** Asks only while true (e.g. while the engine is connected). */
  enabled?: boolean
  /** Asks again whenever this changes. */
  key?: unknown
  /** The core's refusal; a dropped link needs nothing, the next open asks again. */
  onError?: (error: CallError) => void
}

/**
 * Asks the core whenever the link (re)opens, and hands the answer over unless it is stale: the link closed,
 * the view went away or a newer ask began meanwhile.
 */
export function useCallWhileOpen<T>(ask: (bridge: Bridge) => Promise<T>, onAnswer: (answer: T) => void, { enabled = true, key, onError }: Options = {}): void {
  const bridge = useBridge()
  const open = useConnection().state === 'open'
  // The latest callbacks, so a re-render does not ask again.
  const latest = useRef({ ask, onAnswer, onError })
  useLayoutEffect(() => {
    latest.current = { ask, onAnswer, onError }
  })

  useEffect(() => {
    if (!open || !enabled) return
    let current = true
    latest.current.ask(bridge).then(
      (answer) => {
        if (current) latest.current.onAnswer(answer)
      },
      (err: unknown) => {
        const error = callError(err)
        if (current && !isLinkError(error)) latest.current.onError?.(error)
      }
    )
    return () => {
      current = false
    }
  }, [bridge, open, enabled, key])
}
