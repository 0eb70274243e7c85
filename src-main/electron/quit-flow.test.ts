import { describe, expect, it } from 'vitest'
import type { CoreApi } from '../core/api'
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

  function deps(onQuit: OnQuit, answer: { response: number; checkboxChecked: boolean }, failing: string[] = []) {
    const calls: Array<[string, unknown]> = []
    const problems: string[] = []
    let asked = 0
    return {
      calls,
      problems,
      asked: () => asked,
      deps: {
        api: {
          call: async (method: string, params: unknown) => {
            calls.push([method, params])
            if (method === 'workspaces.stop' && failing.includes((params as { name: string }).name)) throw new Error('engine said no')
            return {}
          }
        } as unknown as Pick<CoreApi, 'call'>,
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
    expect(await decideQuit(fleet, d.deps)).toBe(true)
    expect(d.calls).toEqual([
      ['settings.update', { desktop: { onQuit: 'stop' } }],
      ['workspaces.stop', { name: 'web' }],
      ['workspaces.stop', { name: 'api' }]
    ])
  })

  it('keeps them running, or stays open on Cancel, touching nothing', async () => {
    const keep = deps('ask', { response: 1, checkboxChecked: false })
    expect(await decideQuit(fleet, keep.deps)).toBe(true)
    expect(keep.calls).toEqual([])
    const cancel = deps('ask', { response: 2, checkboxChecked: true })
    expect(await decideQuit(fleet, cancel.deps)).toBe(false)
    expect(cancel.calls).toEqual([])
  })

  it('follows a remembered choice without asking, and quits even when a workspace will not stop', async () => {
    const d = deps('stop', { response: 2, checkboxChecked: false }, ['api'])
    expect(await decideQuit(fleet, d.deps)).toBe(true)
    expect(d.asked()).toBe(0)
    expect(d.calls.map(([method]) => method)).toEqual(['workspaces.stop', 'workspaces.stop'])
    expect(d.problems).toEqual(['could not stop api: engine said no'])
    const none = deps('ask', { response: 2, checkboxChecked: false })
    expect(await decideQuit([workspace('old', { container: 'exited' })], none.deps)).toBe(true)
    expect(none.asked()).toBe(0)
  })
})
