import type Dockerode from 'dockerode'
import type { MethodHandlers, EventSources } from '../api'
import { diskUsage, prune } from './disk-usage'
import { sampleUsage, type ResourceMonitor } from './resource-monitor'

export interface ResourcesDeps {
  instanceId: string
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  /** The current core image tag: never pruned. */
  currentImageTag(): Promise<string>
  onProblem?: (message: string) => void
}

export function resourceHandlers(
  deps: ResourcesDeps,
  monitor: ResourceMonitor
): Pick<MethodHandlers, 'resources.usage' | 'system.df' | 'system.prune'> {
  return {
    // While the streams run their latest values answer at once; otherwise one sample each.
    'resources.usage': async () => {
      const latest = monitor.active ? monitor.latest() : []
      return latest.length > 0 ? latest : deps.engine((docker) => sampleUsage(docker, deps.instanceId))
    },
    'system.df': async () => {
      const tag = await deps.currentImageTag()
      return deps.engine((docker) => diskUsage(docker, deps.instanceId, tag))
    },
    'system.prune': async ({ only }) => {
      const tag = await deps.currentImageTag()
      return deps.engine((docker) => prune(docker, deps.instanceId, tag, only))
    }
  }
}

export function resourceEventSources(monitor: ResourceMonitor): Pick<EventSources, 'resources.usage'> {
  return { 'resources.usage': (listener) => monitor.subscribe((workspaces) => listener({ workspaces })) }
}
