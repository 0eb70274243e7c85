import { describe, expect, it } from 'vitest'
import { quitChoice, quitDialogOptions, quitWithoutAsking } from './quit-flow'

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
