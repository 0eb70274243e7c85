import { describe, expect, it } from 'vitest'
import type { AppStatus, Workspace } from '../../../src-main/core/contract'
import { withApp } from '../workspace-model'
import { pageButtons } from './workspace-page-model'

const base: Workspace = {
  name: 'api',
  templateId: 'node-api',
  containerId: 'c1',
  status: 'ready',
  phase: 'ready',
  container: 'running',
  createdAt: '2025-01-01T12:00:00.000Z'
}
const app = (state: AppStatus['state']) => withApp(base, { state, since: '2025-01-01T12:00:00.000Z', restarts: 0, unreadErrors: 0 })
const shown = (workspace: Workspace, busy = false) => pageButtons(workspace, busy).map((b) => `${b.id}${b.primary ? '*' : ''}${b.enabled ? '' : '(off)'}`)

describe('workspace page actions', () => {
  it('stops and restarts a running app, with the container’s actions in the menu', () => {
    expect(shown(app('ready'))).toEqual(['app-stop*', 'app-restart*', 'editor*', 'container-restart', 'container-stop'])
    expect(shown(app('backing-off'))).toEqual(['app-stop*', 'app-restart*', 'editor*', 'container-restart', 'container-stop'])
  })

  it('starts an app that stopped or crashed', () => {
    for (const state of ['stopped', 'crashed'] as const) expect(shown(app(state))[0]).toBe('app-start*')
  })

  it('puts Restart app first, as the fix, once the app gave up or stopped answering', () => {
    const fixes = (workspace: Workspace) => pageButtons(workspace, false).filter((b) => b.fix).map((b) => b.id)
    expect(shown(app('failed'))).toEqual(['app-restart*', 'app-start*', 'editor*', 'container-restart', 'container-stop'])
    expect(shown(app('unhealthy'))).toEqual(['app-restart*', 'app-stop*', 'editor*', 'container-restart', 'container-stop'])
    expect(fixes(app('failed'))).toEqual(['app-restart'])
    expect(fixes(app('unhealthy'))).toEqual(['app-restart'])
    expect(fixes(app('ready'))).toEqual([])
    expect(fixes(app('crashed'))).toEqual([])
  })

  it('offers the container’s actions up front when there is no app (a shell workspace)', () => {
    expect(shown(app('idle'))).toEqual(['editor*', 'container-restart*', 'container-stop*'])
    expect(shown(base)).toEqual(['editor*', 'container-restart*', 'container-stop*'])
    expect(shown({ ...app('crashed'), status: 'failed' })).toEqual(['editor*', 'container-restart*', 'container-stop*'])
  })

  it('starts a stopped container as a whole (no editor: it attaches to a running one), and does nothing while busy or creating', () => {
    expect(shown({ ...base, container: 'exited' })).toEqual(['container-start*'])
    expect(shown({ ...base, container: 'missing' })).toEqual(['container-start*(off)'])
    expect(shown(app('ready'), true).every((b) => b.endsWith('(off)'))).toBe(true)
    expect(shown({ ...app('ready'), status: 'creating' }).every((b) => b.endsWith('(off)'))).toBe(true)
  })
})
