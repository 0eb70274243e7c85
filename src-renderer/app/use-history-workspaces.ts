import { useState } from 'react'
import { useCallWhileOpen } from './use-call-while-open'

/**
 * The names of the workspaces with stored history, removed ones too (`history.workspaces`); undefined until the
 * first answer. `key`: asks again when it changes.
 */
export function useHistoryWorkspaces({ enabled = true, key }: { enabled?: boolean; key?: unknown } = {}): readonly string[] | undefined {
  const [names, setNames] = useState<readonly string[]>()
  useCallWhileOpen((bridge) => bridge.call('history.workspaces', {}), setNames, { enabled, key })
  return names
}
