import { useEffect, useRef, useState } from 'react'
import type { TerminalInfo } from '../../../src-main/core/contract'
import { useBridge } from '../../app/bridge-context'
import { useCallWhileOpen } from '../../app/use-call-while-open'
import type { CallError } from '../../bridge/bridge'
import { applyTerminalChange, byPosition } from './terminal-model'

export interface TerminalList {
  /** Undefined until the first answer. */
  terminals?: readonly TerminalInfo[]
  error?: CallError
}

/**
 * Every open terminal in layout order: `terminals.list` whenever the link (re)opens, kept current by
 * `terminals.changed`. A change that arrives while the list is on its way asks again, so none is lost.
 */
export function useTerminalList(): TerminalList {
  const bridge = useBridge()
  const [state, setState] = useState<TerminalList>({})
  const changes = useRef(0)
  const [asks, setAsks] = useState(0)

  useEffect(
    () =>
      bridge.subscribe('terminals.changed', (change) => {
        changes.current += 1
        setState((previous) => (previous.terminals === undefined ? previous : { terminals: applyTerminalChange(previous.terminals, change) }))
      }),
    [bridge]
  )

  useCallWhileOpen(
    async (link) => ({ list: await link.call('terminals.list', {}), changesBefore: changes.current }),
    ({ list, changesBefore }) => {
      if (changes.current !== changesBefore) setAsks((count) => count + 1)
      else setState({ terminals: byPosition(list) })
    },
    { key: asks, onError: (error) => setState((previous) => ({ ...previous, error })) }
  )

  return state
}
