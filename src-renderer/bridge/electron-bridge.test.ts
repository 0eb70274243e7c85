import { describe, expect, it } from 'vitest'
import type { EngineStatus, ServerMessage } from '../../src-main/core/contract'
import { BridgeError } from './bridge'
import { electronBridge } from './electron-bridge'
import type { WindowSandlotApi } from './window-api'

const status: EngineStatus = { state: 'connecting', endpoint: { kind: 'unix', url: 'unix:///s', source: 'default' }, since: '2025-01-01T00:00:00.000Z' }

function windowApi(reply: ServerMessage, events: unknown[] = []): WindowSandlotApi {
  return {
    call: async () => reply,
    subscribe: (_event, listener) => {
      events.forEach(listener)
      return () => undefined
    }
  }
}

describe('Electron bridge', () => {
  it('resolves a call to its result, checked against the contract', async () => {
    const bridge = electronBridge(windowApi({ type: 'result', id: 'r1', result: status }))
    await expect(bridge.call('engine.status', {})).resolves.toEqual(status)
    const wrongShape = electronBridge(windowApi({ type: 'result', id: 'r1', result: { state: 'on fire' } }))
    await expect(wrongShape.call('engine.status', {})).rejects.toMatchObject({ code: 'INTERNAL' })
  })

  it('rejects with the core’s error, code and hint kept', async () => {
    const bridge = electronBridge(windowApi({ type: 'error', id: 'r1', error: { code: 'BAD_REQUEST', message: 'no', hint: 'Nothing was changed.' } }))
    const failure = await bridge.call('engine.status', {}).catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(BridgeError)
    expect(failure).toMatchObject({ code: 'BAD_REQUEST', message: 'no', hint: 'Nothing was changed.' })
  })

  it('passes on only events that match the contract, and is always connected', () => {
    const seen: EngineStatus[] = []
    const bridge = electronBridge(windowApi({ type: 'result', id: 'x', result: null }, [status, { state: 'bogus' }]))
    bridge.subscribe('engine.status', (payload) => seen.push(payload))
    expect(seen).toEqual([status])
    expect(bridge.connection()).toEqual({ state: 'open' })
  })
})
