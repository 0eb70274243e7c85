import { describe, expect, it } from 'vitest'
import { IdleStopper, isOwnExec } from './idle-stop'

describe('idle stop', () => {
  it("does not count Sandlot's own monitor-cli execs (status looks, the HEALTHCHECK) as use", () => {
    expect(isOwnExec('exec_start: monitor-cli process status --json')).toBe(true)
    expect(isOwnExec('exec_start: /bin/sh -c monitor-cli health')).toBe(true)
    expect(isOwnExec('exec_start: bash -lc npm test')).toBe(false)
    expect(isOwnExec('exec_start: sh -c echo monitor-cli')).toBe(false)
    expect(isOwnExec('exec_start: monitor-client')).toBe(false)
  })
})

describe('idle stop per workspace', () => {
  /** The workspaces a pass looks at: each is first asked whether a terminal is attached (here one is, so none stops). */
  async function lookedAt(setting: number, workspaces: Array<{ name: string; idleStopMinutes: number | null }>): Promise<string[]> {
    const asked: string[] = []
    const stopper = new IdleStopper({
      instanceId: 'test',
      engine: () => Promise.reject(new Error('no engine in this test')),
      events: () => {
        throw new Error('not followed in this test')
      },
      idleStopMinutes: () => setting,
      workspaces: () => workspaces.map((w) => ({ ...w, containerId: `c-${w.name}` })),
      attached: (name) => {
        asked.push(name)
        return true
      },
      stop: () => Promise.reject(new Error('nothing is idle here')),
      onStopped: () => {}
    })
    expect(await stopper.check()).toEqual([])
    return asked
  }

  it("uses a workspace's own idle stop over the setting, and its 0 as never", async () => {
    const workspaces = [
      { name: 'follows-setting', idleStopMinutes: null },
      { name: 'never', idleStopMinutes: 0 },
      { name: 'own-time', idleStopMinutes: 5 }
    ]
    expect(await lookedAt(30, workspaces)).toEqual(['follows-setting', 'own-time'])
    // With the setting off, only a workspace with its own time is looked at.
    expect(await lookedAt(0, workspaces)).toEqual(['own-time'])
  })
})
