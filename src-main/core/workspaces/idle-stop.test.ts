import { describe, expect, it } from 'vitest'
import { isOwnExec } from './idle-stop'

describe('idle stop', () => {
  it("does not count Sandlot's own monitor-cli execs (status looks, the HEALTHCHECK) as use", () => {
    expect(isOwnExec('exec_start: monitor-cli process status --json')).toBe(true)
    expect(isOwnExec('exec_start: /bin/sh -c monitor-cli health')).toBe(true)
    expect(isOwnExec('exec_start: bash -lc npm test')).toBe(false)
    expect(isOwnExec('exec_start: sh -c echo monitor-cli')).toBe(false)
    expect(isOwnExec('exec_start: monitor-client')).toBe(false)
  })
})
