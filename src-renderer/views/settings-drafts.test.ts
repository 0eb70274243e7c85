import { describe, expect, it } from 'vitest'
import { SettingDrafts } from './settings-drafts'

describe('setting drafts', () => {
  it('keeps an unsaved edit until it is saved or cancelled', () => {
    const drafts = new SettingDrafts()
    drafts.set('pool.size', '40')
    drafts.set('terminal.scrollback', 'lots')
    expect(drafts.get('pool.size')).toBe('40')
    expect(drafts.keys()).toEqual(['pool.size', 'terminal.scrollback'])
    drafts.set('pool.size', undefined)
    expect(drafts.get('pool.size')).toBeUndefined()
    expect(drafts.keys()).toEqual(['terminal.scrollback'])
  })

  it('tells its listeners when the set of kept edits changes, not on every key typed', () => {
    const drafts = new SettingDrafts()
    let calls = 0
    const stop = drafts.subscribe(() => calls++)
    drafts.set('pool.size', '4')
    const keys = drafts.keys()
    drafts.set('pool.size', '40')
    expect(calls).toBe(1)
    expect(drafts.keys()).toBe(keys)
    drafts.set('pool.size', undefined)
    expect(calls).toBe(2)
    stop()
    drafts.set('pool.size', '4')
    expect(calls).toBe(2)
  })
})
