import type { TerminalInfo } from '../../../src-main/core/contract'
import { useFollowed } from '../../app/use-live-value'
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
  const { value, error } = useFollowed({
    ask: async (link) => byPosition(await link.call('terminals.list', {})),
    event: 'terminals.changed',
    apply: (terminals: readonly TerminalInfo[] | undefined, change) => (terminals === undefined ? undefined : applyTerminalChange(terminals, change)),
    events: 'change',
  })
  return { terminals: value, error }
}
