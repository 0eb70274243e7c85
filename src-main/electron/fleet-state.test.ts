import { describe, expect, it } from 'vitest'
import { connected, endpoint, workspace as ws } from './test-fixtures'
import type { EngineStatus } from '../core/contract'
import { fleetSummary, workspaceHealth, workspaceStateLabel } from './fleet-state'

const unreachable: EngineStatus = { state: 'unreachable', endpoint, message: 'connect ENOENT', hint: 'Start Docker.', since: '2026-12-03T10:00:00Z', attempt: 2 }

describe('workspace health', () => {
  it('reads a running workspace by its app, and a stopped one as stopped', () => {
    expect(workspaceHealth(ws('a', {}, 'ready'))).toBe('ready')
    expect(workspaceHealth(ws('a', {}, 'idle'))).toBe('ready')
    expect(workspaceHealth(ws('a'))).toBe('ready')
    expect(workspaceHealth(ws('a', {}, 'starting'))).toBe('starting')
    expect(workspaceHealth(ws('a', {}, 'running'))).toBe('starting')
    for (const state of ['crashed', 'backing-off', 'failed', 'unhealthy'] as const) expect(workspaceHealth(ws('a', {}, state)), state).toBe('trouble')
    // The container is stopped: whatever its app said last no longer matters.
    expect(workspaceHealth(ws('a', { container: 'exited', exitCode: 0 }, 'crashed'))).toBe('stopped')
  })

  it('counts creates and failures of the workspace itself', () => {
    expect(workspaceHealth(ws('a', { status: 'creating', container: 'running' }))).toBe('starting')
    expect(workspaceHealth(ws('a', { status: 'failed', container: 'none' }))).toBe('trouble')
    expect(workspaceHealth(ws('a', { container: 'missing' }))).toBe('trouble')
    expect(workspaceHealth(ws('a', { container: 'restarting' }))).toBe('starting')
  })

  it('labels states in words', () => {
    expect(workspaceStateLabel(ws('a', {}, 'backing-off'))).toBe('restarting after a crash')
    expect(workspaceStateLabel(ws('a', { container: 'exited' }))).toBe('stopped')
    expect(workspaceStateLabel(ws('a', { status: 'failed', container: 'none' }))).toBe('create failed')
    expect(workspaceStateLabel(ws('a', {}, 'idle'))).toBe('running')
  })
})

describe('fleet state', () => {
  it('is the worst of its workspaces', () => {
    expect(fleetSummary(connected, [ws('a', {}, 'ready'), ws('b', { container: 'exited' })])).toEqual({ state: 'ready', tooltip: 'Sandlot: 1 ready, 1 stopped' })
    expect(fleetSummary(connected, [ws('a', {}, 'ready'), ws('b', {}, 'starting')]).state).toBe('starting')
    expect(fleetSummary(connected, [ws('a', {}, 'starting'), ws('b', {}, 'crashed'), ws('c', {}, 'ready')])).toEqual({
      state: 'trouble',
      tooltip: 'Sandlot: 1 in trouble, 1 starting, 1 ready'
    })
  })

  it('is ready with no workspaces, and says so', () => {
    expect(fleetSummary(connected, [])).toEqual({ state: 'ready', tooltip: 'Sandlot: no workspaces' })
  })

  it('is unreachable whenever the engine is, whatever the workspaces said last', () => {
    const summary = fleetSummary(unreachable, [ws('a', {}, 'crashed')])
    expect(summary.state).toBe('unreachable')
    expect(summary.tooltip).toContain('connect ENOENT')
    expect(fleetSummary(undefined, []).state).toBe('starting')
    expect(fleetSummary({ state: 'connecting', endpoint, since: 'x' }, [ws('a', {}, 'ready')]).state).toBe('starting')
  })
})
