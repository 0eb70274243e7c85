import { describe, expect, it } from 'vitest'
import type { EngineStatus, ServerMessage } from '../../src-main/core/contract'
import { BridgeError } from './bridge'
import { electronBridge } from './electron-bridge'
import { terminalInfo } from './terminal-fixture'
import type { WindowSandlotApi } from './window-api'

const status: EngineStatus = { state: 'connecting', endpoint: { kind: 'unix', url: 'unix:///s', source: 'default' }, since: '2025-01-01T00:00:00.000Z' }

function windowApi(reply: ServerMessage, events: unknown[] = [], streams: { sent: unknown[]; deliver?: (frame: unknown) => void } = { sent: [] }): WindowSandlotApi {
  return {
    call: async () => reply,
    subscribe: (_event, listener) => {
      events.forEach(listener)
      return () => undefined
    },
    sendStream: (frame) => void streams.sent.push(frame),
    onStream: (listener) => {
      streams.deliver = listener as (frame: unknown) => void
      return () => undefined
    },
    chooseFolder: async () => '/home/me/site',
    pathForFile: (file) => (file.name === 'made-by-the-page' ? '' : `/dropped/${file.name}`)
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

describe('Electron bridge streams', () => {
  it('attaches through the preload and routes only valid stream frames', async () => {
    const terminal = terminalInfo()
    const streams: { sent: unknown[]; deliver?: (frame: unknown) => void } = { sent: [] }
    const bridge = electronBridge(windowApi({ type: 'result', id: 'r1', result: { stream: 'x1', terminal } }, [], streams))
    const seen: string[] = []
    const stream = bridge.attachTerminal('tAAAA1', {
      attached: (info) => seen.push(`attached ${info.id}`),
      data: (text) => seen.push(text),
      detached: () => seen.push('detached'),
      ended: ({ exitCode }) => seen.push(`ended ${exitCode}`)
    })
    await expect.poll(() => seen).toEqual(['attached tAAAA1'])
    streams.deliver?.({ type: 'stream.data', stream: 'x1', data: 'prompt$ ' })
    streams.deliver?.({ type: 'stream.data', stream: 'x1', data: 42 })
    streams.deliver?.({ type: 'stream.end', stream: 'x1', exitCode: 3 })
    expect(seen).toEqual(['attached tAAAA1', 'prompt$ ', 'ended 3'])
    stream.write('exit\r')
    expect(streams.sent).toEqual([])
  })

  it('gives host folders from the picker and from drops, and nothing for a file that is not on disk', async () => {
    const { hostFolders } = electronBridge(windowApi({ type: 'result', id: 'r1', result: status }))
    await expect(hostFolders?.choose()).resolves.toBe('/home/me/site')
    expect(hostFolders?.pathOf(new File([], 'site'))).toBe('/dropped/site')
    expect(hostFolders?.pathOf(new File([], 'made-by-the-page'))).toBeUndefined()
  })
})
