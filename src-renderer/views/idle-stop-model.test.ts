import { describe, expect, it } from 'vitest'
import { CreateWorkspaceParams, UpdateWorkspaceParams } from '../../src-main/core/contract'
import { effectiveIdleStop, idleStopFieldOf, idleStopRequest, minutesOnCustom, settingChoiceLabel } from './idle-stop-model'

const RANGE = 'Give a whole number of minutes from 0 (never) to 10080 (a week).'

describe('idle stop of a new workspace', () => {
  it('asks for nothing when the setting applies, 0 for never, and the minutes typed otherwise', () => {
    expect(idleStopRequest('setting', 'whatever')).toEqual({})
    expect(idleStopRequest('never', '30')).toEqual({ minutes: 0 })
    expect(idleStopRequest('custom', ' 30 ')).toEqual({ minutes: 30 })
    expect(idleStopRequest('custom', '10080')).toEqual({ minutes: 10_080 })
    expect(idleStopRequest('custom', '0')).toEqual({ minutes: 0 })
  })

  it("refuses what the contract refuses, with the contract's words", () => {
    for (const typed of ['', '-1', '1.5', '10081', 'soon', '1e3', '0x10']) expect(idleStopRequest('custom', typed), typed).toEqual({ problem: RANGE })
  })

  it('gives minutes that the create call accepts', () => {
    const { minutes } = idleStopRequest('custom', '45')
    expect(CreateWorkspaceParams.safeParse({ template: 'shell', idleStopMinutes: minutes }).success).toBe(true)
  })

  it("names the setting's value in its choice, once it is known", () => {
    expect(settingChoiceLabel(undefined)).toBe('Use the setting')
    expect(settingChoiceLabel(0)).toBe('Use the setting (never)')
    expect(settingChoiceLabel(45)).toBe('Use the setting (45 min)')
  })
})

describe("an existing workspace's idle stop", () => {
  it('is its own when it has one, whatever the setting says', () => {
    expect(effectiveIdleStop(15, 60)?.text).toBe('idle stop after 15 min')
    expect(effectiveIdleStop(0, 60)?.text).toBe('never idle-stopped')
    expect(effectiveIdleStop(15, undefined)?.text).toBe('idle stop after 15 min')
  })

  it("is the setting's otherwise, said to be the setting's, and unknown until the settings arrive", () => {
    expect(effectiveIdleStop(undefined, 60)?.text).toBe('idle stop after 60 min (setting)')
    expect(effectiveIdleStop(undefined, 0)?.text).toBe('no idle stop (setting)')
    expect(effectiveIdleStop(undefined, undefined)).toBeUndefined()
  })
})

describe("changing an existing workspace's idle stop", () => {
  it('starts the field from what applies now: the setting, never, or its own minutes', () => {
    expect(idleStopFieldOf(undefined)).toEqual({ choice: 'setting', minutes: '' })
    expect(idleStopFieldOf(0)).toEqual({ choice: 'never', minutes: '' })
    expect(idleStopFieldOf(90)).toEqual({ choice: 'custom', minutes: '90' })
  })

  it('sends what the update call accepts for each choice: minutes, 0, or null to follow the setting again', () => {
    for (const [choice, typed, sent] of [
      ['custom', '20', 20],
      ['never', '20', 0],
      ['setting', '20', null]
    ] as const) {
      const minutes = idleStopRequest(choice, typed).minutes ?? null
      expect(minutes).toBe(sent)
      expect(UpdateWorkspaceParams.safeParse({ name: 'web', idleStopMinutes: minutes }).success).toBe(true)
    }
  })

  it('gives "After" a start to edit when nothing is typed, and keeps what is', () => {
    expect(minutesOnCustom('', 45)).toBe('45')
    expect(minutesOnCustom(' ', 0)).toBe('60')
    expect(minutesOnCustom('', undefined)).toBe('60')
    expect(minutesOnCustom('12', 45)).toBe('12')
  })
})
