import { describe, expect, it } from 'vitest'
import { findSettingKey, type SettingKey } from '../../src-main/core/settings/setting-keys'
import { desktopOnly, draftValue, settingGroups, settingLabel, settingRange, settingText } from './settings-model'

const key = (name: string): SettingKey => findSettingKey(name)!

describe('settings model', () => {
  it('groups every setting of the schema, the common ones first, new groups after', () => {
    const groups = settingGroups()
    expect(groups.slice(0, 5).map((g) => g.id)).toEqual(['appearance', 'pool', 'image', 'engine', 'certificates'])
    expect(groups.flatMap((g) => g.settings.map((s) => s.key))).toContain('pool.maxConcurrentCreates')
    const custom = settingGroups([{ key: 'fleet.url', group: 'fleet', kind: 'string', optional: true }])
    expect(custom).toEqual([{ id: 'fleet', title: 'Fleet', settings: [expect.objectContaining({ key: 'fleet.url' })] }])
  })

  it('labels a key by its last part, in words', () => {
    expect(settingLabel(key('pool.maxConcurrentCreates'))).toBe('Max concurrent creates')
    expect(settingLabel(key('certificates.extraCaFile'))).toBe('Extra CA file')
    expect(settingLabel(key('sync.url'))).toBe('URL')
    expect(settingLabel(key('appearance.theme'))).toBe('Theme')
  })

  it('checks typed text with the core schema; a number out of range is said as the CLI says it; empty clears an optional setting only', () => {
    expect(draftValue(key('pool.size'), '4')).toEqual({ value: 4 })
    expect(draftValue(key('pool.size'), '40').problem).toBe('Size takes a whole number from 0 to 16.')
    expect(draftValue(key('pool.size'), 'four').problem).toBe('Size takes a whole number from 0 to 16.')
    expect(draftValue(key('pool.size'), '2.5').problem).toBe('Size takes a whole number from 0 to 16.')
    expect(draftValue(key('pool.size'), '').problem).toBe('Size needs a value (its default is 1).')
    expect(draftValue(key('engine.host'), '')).toEqual({ value: null })
    expect(draftValue(key('engine.host'), 'localhost').problem).toMatch(/Docker URL/)
    const list = { key: 'notifications.mutedWorkspaces', group: 'notifications', kind: 'list', optional: false } as const
    expect(draftValue(list, '')).toEqual({ value: [] })
    expect(draftValue(list, 'web, api')).toEqual({ value: ['web', 'api'] })
  })

  it('shows values and ranges as text', () => {
    expect(settingText(undefined)).toBe('')
    expect(settingText(3)).toBe('3')
    expect(settingRange(key('pool.size'))).toBe('A whole number from 0 to 16. Default: 1.')
    expect(settingRange(key('engine.host'))).toBe('Unset by default.')
    expect(settingRange(key('notifications.mutedWorkspaces'))).toBe('Default: none.')
  })

  it('knows the settings only the desktop app acts on', () => {
    expect(desktopOnly(key('desktop.openAtLogin'))).toBe(true)
    expect(desktopOnly(key('notifications.mutedWorkspaces'))).toBe(true)
    expect(desktopOnly(key('pool.size'))).toBe(false)
  })
})
