import type Dockerode from 'dockerode'
import type { MethodHandlers, EventSources } from '../api'
import { diskUsage, prune } from './disk-usage'
import type { InstanceTeardown } from './instance-teardown'
import { sampleUsage, type ResourceMonitor, type WorkspaceContainers } from './resource-monitor'

export interface ResourcesDeps {
  instanceId: string
  workspaceContainers: WorkspaceContainers
  engine: <T>(work: (docker: Dockerode) => Promise<T>) => Promise<T>
  /** The current core image tag: never pruned. */
  currentImageTag(): Promise<string>
  /** What `all` checks first and tidies after (prune --all). */
  teardown: InstanceTeardown
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
      return latest.length > 0 ? latest : deps.engine((docker) => sampleUsage(docker, deps.instanceId, deps.workspaceContainers))
    },
    'system.df': async ({ all }) => {
      if (all) deps.teardown.assertAllowed()
      const tag = await deps.currentImageTag()
      return deps.engine((docker) => diskUsage(docker, deps.instanceId, deps.workspaceContainers(), tag, all === true))
    },
    'system.prune': async ({ only, all }) => {
      if (all) deps.teardown.assertAllowed()
      const tag = await deps.currentImageTag()
      const result = await deps.engine((docker) => prune(docker, deps.instanceId, deps.workspaceContainers(), tag, only, all === true))
      if (all) deps.teardown.forget(result.removed, deps.instanceId)
      return result
    }
  }
}

export function resourceEventSources(monitor: ResourceMonitor): Pick<EventSources, 'resources.usage'> {
  return { 'resources.usage': (listener) => monitor.subscribe((workspaces) => listener({ workspaces })) }
}
