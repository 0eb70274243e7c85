import { describe, expect, it } from 'vitest'
import { FlowControl } from './flow-control'

function flow() {
  const changes: boolean[] = []
  const control = new FlowControl<string>((paused) => changes.push(paused), { high: 100, low: 10 })
  control.add('a')
  control.add('b')
  return { control, changes }
}

describe('FlowControl', () => {
  it('pauses when any consumer is above the high watermark and resumes only when every one is below the low one', () => {
    const { control, changes } = flow()
    control.sentToAll(100)
    expect(control.paused).toBe(false)
    control.sentToAll(1)
    expect(changes).toEqual([true])
    control.ack('a', 101)
    expect(control.paused).toBe(true) // b is still behind
    control.ack('b', 80)
    expect(control.paused).toBe(true) // 21 left: between the marks, no flapping
    control.ack('b', 12)
    expect(changes).toEqual([true, false])
  })

  it('counts what one consumer was sent alone, and forgets a consumer that goes', () => {
    const { control, changes } = flow()
    control.sent('a', 150)
    expect(control.isAboveHigh('a')).toBe(true)
    expect(control.isAboveHigh('b')).toBe(false)
    control.remove('a')
    expect(changes).toEqual([true, false])
    control.sent('a', 500) // gone: not counted
    expect(control.paused).toBe(false)
  })

  it('never lets an acknowledgement beyond what was sent bank credit', () => {
    const { control } = flow()
    control.sentToAll(5)
    control.ack('a', 1_000_000)
    control.sentToAll(101)
    expect(control.unacked('a')).toBe(101)
    expect(control.paused).toBe(true)
  })
})
