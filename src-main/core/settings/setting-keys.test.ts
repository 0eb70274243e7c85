import { describe, expect, it } from 'vitest'
import { SettingsPatch } from '../contract/settings'
import { closestSettingKey, findSettingKey, parseSettingText, settingKeys, settingPatch, settingTakes, settingText, settingValue, settingValueProblem } from './setting-keys'

describe('setting keys', () => {
  it('lists every setting of the schema as a dotted key with its type, bounds and default', () => {
    const keys = settingKeys().map((s) => s.key)
    expect(keys).toEqual(expect.arrayContaining(['engine.host', 'engine.context', 'pool.size', 'pool.maxConcurrentCreates', 'certificates.extraCaFile', 'image.base', 'appearance.theme']))
    expect(findSettingKey('pool.size')).toMatchObject({ group: 'pool', kind: 'integer', min: 0, max: 16, default: 1, optional: false })
    expect(findSettingKey('appearance.theme')).toMatchObject({ kind: 'choice', options: ['system', 'light', 'dark'], default: 'system' })
    expect(findSettingKey('engine.host')).toMatchObject({ kind: 'string', optional: true })
    expect(findSettingKey('engine.host')?.default).toBeUndefined()
    for (const setting of settingKeys()) expect(setting.description, setting.key).toBeTruthy()
  })

  it('reads typed text as the value the schema expects, and leaves the rest for its message', () => {
    const size = findSettingKey('pool.size')!
    expect(parseSettingText(size, ' 3 ')).toBe(3)
    expect(parseSettingText(size, 'three')).toBe('three')
    expect(settingValueProblem('pool.size', parseSettingText(size, 'three'))).toMatch(/expected number/)
    expect(settingValueProblem('pool.size', 17)).toMatch(/<=16/)
    expect(settingValueProblem('pool.size', 2.5)).toMatch(/int/)
    expect(settingValueProblem('pool.size', 4)).toBeUndefined()
    expect(settingValueProblem('appearance.theme', 'neon')).toMatch(/system.*light.*dark/)
    expect(settingValueProblem('engine.host', 'localhost')).toMatch(/Docker URL/)
    expect(settingValueProblem('nope.key', 1)).toBe('unknown setting nope.key')
  })

  it('says what a setting takes in words, for the CLI and the window alike', () => {
    expect(settingTakes(findSettingKey('pool.size')!)).toBe('a whole number from 0 to 16')
    expect(settingTakes(findSettingKey('appearance.theme')!)).toBe('one of: system, light, dark')
    expect(settingTakes(findSettingKey('desktop.openAtLogin')!)).toBe('true or false')
    expect(settingTakes(findSettingKey('engine.host')!)).toBeUndefined()
  })

  it('reads a list setting as names separated by commas, each checked by the schema', () => {
    const muted = findSettingKey('notifications.mutedWorkspaces')!
    expect(muted).toMatchObject({ kind: 'list', default: [] })
    expect(parseSettingText(muted, ' web, api ,, ')).toEqual(['web', 'api'])
    expect(parseSettingText(muted, '  ')).toEqual([])
    expect(settingValueProblem('notifications.mutedWorkspaces', ['web', 'Bad Name'])).toMatch(/lowercase/)
    expect(settingValueProblem('notifications.mutedWorkspaces', ['web'])).toBeUndefined()
    expect(findSettingKey('desktop.onQuit')).toMatchObject({ kind: 'choice', options: ['ask', 'stop', 'keep'], default: 'ask' })
    expect(findSettingKey('desktop.openAtLogin')).toMatchObject({ kind: 'boolean', default: false })
  })

  it('builds a nested patch from a dotted key and reads values back by key', () => {
    expect(settingPatch('image.base', 'x')).toEqual({ image: { base: 'x' } })
    expect(settingValue({ image: { base: 'x' } }, 'image.base')).toBe('x')
    expect(settingValue({}, 'image.base')).toBeUndefined()
  })

  it('suggests the key meant by a typo or a last part alone', () => {
    expect(closestSettingKey('pool.sise')).toBe('pool.size')
    expect(closestSettingKey('theme')).toBe('appearance.theme')
    expect(closestSettingKey('image_base')).toBe('image.base')
    expect(closestSettingKey('completely-different')).toBeUndefined()
  })

  it('shows a value as one line of text: a list with commas between its items', () => {
    expect(settingText(['web', 'api'])).toBe('web, api')
    expect(settingText([])).toBe('')
    expect(settingText(undefined)).toBe('')
    expect(settingText(3)).toBe('3')
  })

  it('a patch of one key is just that key: the patch schema fills in no defaults of its neighbours', () => {
    for (const setting of settingKeys()) {
      const patch = settingPatch(setting.key, setting.default === undefined ? null : setting.default)
      expect(SettingsPatch.parse(patch), setting.key).toEqual(patch)
    }
  })
})
