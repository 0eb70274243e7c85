import { describe, expect, it } from 'vitest'
import { Settings, type Workspace } from '../core/contract'
import { SandlotError } from '../core/sandlot-error'
import { fakeCoreApi } from '../transport/test-support/fake-core-api'
import { decideQuit, quitChoice, quitDialogOptions, quitWithoutAsking, type OnQuit } from './quit-flow'
import { workspace } from './test-fixtures'

describe('quit flow', () => {
  it('asks only when something runs and no choice was remembered', () => {
    expect(quitWithoutAsking('ask', [])).toEqual({ action: 'keep', remember: false })
    expect(quitWithoutAsking('ask', ['web'])).toBeUndefined()
    expect(quitWithoutAsking('stop', ['web'])).toEqual({ action: 'stop', remember: false })
    expect(quitWithoutAsking('keep', ['web', 'api'])).toEqual({ action: 'keep', remember: false })
  })

  it('names the running workspaces, with Stop first and Cancel as the escape', () => {
    const one = quitDialogOptions(['web'])
    expect(one.message).toBe('Workspace web is running. Stop it?')
    expect(one.buttons).toEqual(['Stop them and quit', 'Keep them running and quit', 'Cancel'])
    expect(one).toMatchObject({ defaultId: 0, cancelId: 2, checkboxLabel: 'Remember my choice', checkboxChecked: false })
    const many = quitDialogOptions(['a', 'b', 'c', 'd', 'e', 'f', 'g'])
    expect(many.message).toBe('7 workspaces are running: a, b, c, d, e and 2 more. Stop them?')
  })

  it('maps each button to its action, remembering only a real choice', () => {
    expect(quitChoice(0, false)).toEqual({ action: 'stop', remember: false })
    expect(quitChoice(0, true)).toEqual({ action: 'stop', remember: true })
    expect(quitChoice(1, true)).toEqual({ action: 'keep', remember: true })
    expect(quitChoice(2, true)).toEqual({ action: 'cancel', remember: false })
    // Closed by the window manager: whatever index it reports, nothing happens.
    expect(quitChoice(7, true)).toEqual({ action: 'cancel', remember: false })
  })
})

describe('deciding a quit', () => {
  const fleet = [workspace('web'), workspace('api'), workspace('old', { container: 'exited' })]

  interface Faults {
    /** Workspaces whose stop fails. */
    failing?: string[]
    listFails?: boolean
    saveFails?: boolean
  }

  function deps(onQuit: OnQuit, answer: { response: number; checkboxChecked: boolean }, workspaces: Workspace[] = fleet, faults: Faults = {}) {
    const calls: Array<[string, unknown]> = []
    const problems: string[] = []
    let asked = 0
    const api = fakeCoreApi({
      'workspaces.list': () => {
        if (faults.listFails) throw new SandlotError('ENGINE_UNREACHABLE', 'Docker is not running.', 'Start Docker.')
        return workspaces
      },
      'settings.update': (params) => {
        calls.push(['settings.update', params])
        if (faults.saveFails) throw new Error('disk full')
        return { settings: Settings.parse({}), problems: [], file: '/tmp/settings.json' }
      },
      'workspaces.stop': (params) => {
        calls.push(['workspaces.stop', params])
        if (faults.failing?.includes(params.name)) throw new Error('engine said no')
        return workspace(params.name, { container: 'exited' })
      }
    })
    return {
      calls,
      problems,
      asked: () => asked,
      deps: {
        api,
        onQuit,
        ask: async () => {
          asked += 1
          return answer
        },
        onProblem: (message: string) => problems.push(message)
      }
    }
  }

  it('stops the running workspaces when the user says so, and remembers only when asked to', async () => {
    const d = deps('ask', { response: 0, checkboxChecked: true })
    expect(await decideQuit(d.deps)).toBe(true)
    expect(d.calls).toEqual([
      ['settings.update', { desktop: { onQuit: 'stop' } }],
      ['workspaces.stop', { name: 'web' }],
      ['workspaces.stop', { name: 'api' }]
    ])
  })

  it('keeps them running, or stays open on Cancel, touching nothing', async () => {
    const keep = deps('ask', { response: 1, checkboxChecked: false })
    expect(await decideQuit(keep.deps)).toBe(true)
    expect(keep.calls).toEqual([])
    const cancel = deps('ask', { response: 2, checkboxChecked: true })
    expect(await decideQuit(cancel.deps)).toBe(false)
    expect(cancel.calls).toEqual([])
  })

  it('follows a remembered choice without asking, and quits even when a workspace will not stop', async () => {
    const d = deps('stop', { response: 2, checkboxChecked: false }, fleet, { failing: ['api'] })
    expect(await decideQuit(d.deps)).toBe(true)
    expect(d.asked()).toBe(0)
    expect(d.calls.map(([method]) => method)).toEqual(['workspaces.stop', 'workspaces.stop'])
    expect(d.problems).toEqual(['could not stop api: engine said no'])
    const none = deps('ask', { response: 2, checkboxChecked: false }, [workspace('old', { container: 'exited' })])
    expect(await decideQuit(none.deps)).toBe(true)
    expect(none.asked()).toBe(0)
  })

  it('still stops the workspaces when the remembered choice cannot be saved, and says so', async () => {
    const d = deps('ask', { response: 0, checkboxChecked: true }, fleet, { saveFails: true })
    expect(await decideQuit(d.deps)).toBe(true)
    expect(d.calls.map(([method]) => method)).toEqual(['settings.update', 'workspaces.stop', 'workspaces.stop'])
    expect(d.problems).toEqual(['could not remember the quit choice: disk full'])
  })

  it('lists the workspaces itself when quitting, and quits with a problem said when the list fails', async () => {
    const d = deps('ask', { response: 0, checkboxChecked: false }, [workspace('late')])
    expect(await decideQuit(d.deps)).toBe(true)
    expect(d.asked()).toBe(1)
    expect(d.calls).toEqual([['workspaces.stop', { name: 'late' }]])
    const down = deps('ask', { response: 0, checkboxChecked: false }, fleet, { listFails: true })
    expect(await decideQuit(down.deps)).toBe(true)
    expect(down.asked()).toBe(0)
    expect(down.problems).toEqual(['could not list the workspaces to stop: Docker is not running.'])
  })
})
