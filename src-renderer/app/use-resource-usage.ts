import { useEffect, useState } from 'react'
import type { WorkspaceUsage } from '../../src-main/core/contract'
import { useBridge } from './bridge-context'

const NONE: ReadonlyMap<string, WorkspaceUsage> = new Map()

/**
 * CPU and memory of the running workspaces, by name, while the view that asks is mounted: the core streams
 * stats only while someone subscribes, so a closed view costs nothing.
 */
export function useResourceUsage(enabled = true): ReadonlyMap<string, WorkspaceUsage> {
  const bridge = useBridge()
  const [usage, setUsage] = useState(NONE)
  useEffect(() => {
    if (!enabled) return undefined
    const stop = bridge.subscribe('resources.usage', ({ workspaces }) => setUsage(new Map(workspaces.map((u) => [u.workspace, u]))))
    return () => {
      stop()
      setUsage(NONE)
    }
  }, [bridge, enabled])
  return usage
}
