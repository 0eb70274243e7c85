import { describe, expect, it } from 'vitest'
import type { EngineStatus } from '../../src-main/core/contract'
import { firstView } from './first-view'

const connected = { state: 'connected' } as EngineStatus
const unreachable = { state: 'unreachable' } as EngineStatus
const connecting = { state: 'connecting' } as EngineStatus

describe('the first view of a window opened without a path', () => {
  it('is the Workspaces list once the engine is connected', () => {
    expect(firstView('open', connected)).toBe('workspaces')
  })

  it('is the Engine page, which says what to do, when the engine or the core cannot be reached', () => {
    expect(firstView('open', unreachable)).toBe('engine')
    expect(firstView('disconnected', undefined)).toBe('engine')
    expect(firstView('unauthorized', undefined)).toBe('engine')
  })

  it('waits while either is still being asked', () => {
    expect(firstView('connecting', undefined)).toBeUndefined()
    expect(firstView('open', undefined)).toBeUndefined()
    expect(firstView('open', connecting)).toBeUndefined()
  })
})
