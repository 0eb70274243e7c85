import type { AppStatus, EngineStatus, Workspace } from '../core/contract'

// Contract values for the shell's unit tests (not shipped code): a workspace and engine states.

export const endpoint = { kind: 'unix', url: 'unix:///var/run/docker.sock', source: 'default' } as const

export const connected: EngineStatus = {
  state: 'connected',
  endpoint,
  server: { serverVersion: '27.0', apiVersion: '1.46', os: 'linux', arch: 'x86_64' },
  since: '2026-12-03T10:00:00Z'
}

/** A made workspace with a running container; `app` gives it an app state. */
export function workspace(name: string, over: Partial<Workspace> = {}, app?: AppStatus['state']): Workspace {
  return {
    name,
    templateId: 'node-api',
    containerId: 'c',
    status: 'ready',
    phase: 'ready',
    container: 'running',
    createdAt: '2026-12-03T09:00:00Z',
    ...(app === undefined ? {} : { app: { state: app, since: '2026-12-03T09:00:00Z', restarts: 0, unreadErrors: 0 } }),
    ...over
  }
}
