import { describe, expect, it } from 'vitest'
import type { EngineEndpoint, EngineStatus } from '../../src-main/core/contract'
import { describeSince, describeSource, engineStatusModel } from './engine-status-model'

const endpoint: EngineEndpoint = { kind: 'unix', url: 'unix:///var/run/docker.sock', source: 'default' }
const now = Date.parse('2025-01-01T12:00:00.000Z')

describe('engine status model', () => {
  it('shows a connected engine with its version and where it was found', () => {
    const status: EngineStatus = {
      state: 'connected',
      endpoint,
      server: { serverVersion: '27.3.1', apiVersion: '1.47', os: 'linux', arch: 'amd64' },
      since: '2025-01-01T11:57:00.000Z'
    }
    const model = engineStatusModel(status, now)
    expect(model).toMatchObject({ tone: 'ok', state: 'Connected', statusLine: 'Engine: connected · 27.3.1' })
    expect(model.summary).toBe('Docker Engine 27.3.1 · API 1.47 · linux/amd64')
    expect(model.facts).toContainEqual({ label: 'Connected', value: '3 min ago' })
    expect(model.facts).toContainEqual({ label: 'Chosen by', value: 'Platform default' })
    expect(model.hint).toBeUndefined()
  })

  it('shows an unreachable engine with what to do and a countdown to the next attempt', () => {
    const status: EngineStatus = {
      state: 'unreachable',
      endpoint,
      message: 'Docker engine not reachable at unix:///var/run/docker.sock (connect ENOENT)',
      hint: 'Docker engine not reachable: start Docker Desktop or dockerd',
      since: '2025-01-01T11:59:00.000Z',
      attempt: 2,
      nextAttemptAt: '2025-01-01T12:00:03.200Z'
    }
    const model = engineStatusModel(status, now)
    expect(model).toMatchObject({ tone: 'error', state: 'Not reachable', hint: 'Start Docker Desktop or dockerd' })
    expect(model.retry).toEqual({ attempt: 3, seconds: 4 })
    expect(model.statusLine).toBe('Engine: not reachable · retry in 4 s')
    expect(model.summary).toBe('No answer from unix:///var/run/docker.sock (connect ENOENT)')
  })

  it('never counts down below zero, and shows no countdown when nothing retries', () => {
    const base = { state: 'unreachable', endpoint, message: 'm', hint: 'Check DOCKER_HOST', since: '2025-01-01T11:59:00.000Z', attempt: 0 } as const
    expect(engineStatusModel({ ...base, nextAttemptAt: '2025-01-01T11:59:59.000Z' }, now).retry).toEqual({ attempt: 1, seconds: 0 })
    const oneShot = engineStatusModel(base, now)
    expect(oneShot.retry).toBeUndefined()
    expect(oneShot.hint).toBe('Check DOCKER_HOST')
  })

  it('names every endpoint source the way users configure it', () => {
    expect(describeSource({ ...endpoint, source: 'DOCKER_HOST' })).toBe('DOCKER_HOST')
    expect(describeSource({ ...endpoint, source: 'settings' })).toBe('Sandlot settings')
    expect(describeSource({ ...endpoint, source: 'context', context: 'colima' })).toBe('Docker context “colima”')
  })

  it('describes elapsed time coarsely', () => {
    const ago = (seconds: number): string => describeSince(new Date(now - seconds * 1000).toISOString(), now)
    expect([ago(1), ago(30), ago(600), ago(7_200), ago(200_000)]).toEqual(['just now', '30 s ago', '10 min ago', '2 h ago', '2 d ago'])
  })
})
