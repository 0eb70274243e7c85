import { describe, expect, it } from 'vitest'
import type { ServerMessage } from '../src-main/core/contract'
import { IPC_CHOOSE_FOLDER, IPC_MESSAGE, IPC_REQUEST } from '../src-main/electron/ipc-channels'
import { createSandlotApi, type IpcRendererLike } from './sandlot-api'

function fakeIpc() {
  const sent: Array<[string, unknown]> = []
  const invoked: Array<[string, unknown]> = []
  let deliver: (message: ServerMessage) => void = () => undefined
  const ipc: IpcRendererLike = {
    invoke: async (channel, message) => {
      invoked.push([channel, message])
      return { type: 'result', id: (message as { id: string }).id, result: 'ok' }
    },
    send: (channel, message) => {
      sent.push([channel, message])
    },
    on: (_channel, listener) => {
      deliver = (message) => listener({}, message)
    }
  }
  return { ipc, sent, invoked, deliver: (message: ServerMessage) => deliver(message) }
}

const noPaths = { getPathForFile: () => '' }

describe('preload API', () => {
  it('sends calls as request frames and returns the reply frame', async () => {
    const { ipc, invoked } = fakeIpc()
    const api = createSandlotApi(ipc, noPaths)
    const reply = await api.call('engine.status', {})
    expect(invoked).toEqual([[IPC_REQUEST, { type: 'request', id: 'r1', method: 'engine.status', params: {} }]])
    expect(reply).toEqual({ type: 'result', id: 'r1', result: 'ok' })
  })

  it('routes events to their subscription until it ends', () => {
    const { ipc, sent, deliver } = fakeIpc()
    const api = createSandlotApi(ipc, noPaths)
    const seen: unknown[] = []
    const unsubscribe = api.subscribe('engine.status', (payload) => seen.push(payload))
    expect(sent).toEqual([[IPC_MESSAGE, { type: 'subscribe', id: 's1', event: 'engine.status' }]])

    deliver({ type: 'event', id: 's1', event: 'engine.status', payload: 'first' })
    deliver({ type: 'event', id: 's9', event: 'engine.status', payload: 'not ours' })
    deliver({ type: 'result', id: 's1', result: null })
    unsubscribe()
    unsubscribe()
    deliver({ type: 'event', id: 's1', event: 'engine.status', payload: 'after' })

    expect(seen).toEqual(['first'])
    expect(sent.slice(1)).toEqual([[IPC_MESSAGE, { type: 'unsubscribe', id: 's1' }]])
  })
})

describe('preload stream frames', () => {
  it('sends only a stream frame’s own fields, and passes stream frames to their listener', () => {
    const { ipc, sent, deliver } = fakeIpc()
    const api = createSandlotApi(ipc, noPaths)
    const seen: unknown[] = []
    const stop = api.onStream((frame) => seen.push(frame))
    api.sendStream({ type: 'stream.write', stream: 'x1', data: 'ls\r', extra: 'dropped' } as never)
    api.sendStream({ type: 'stream.ack', stream: 'x1', bytes: 5000 })
    api.sendStream({ type: 'stream.close', stream: 'x1' })
    api.sendStream({ type: 'subscribe', id: 's1', event: 'engine.status' } as never)
    expect(sent).toEqual([
      [IPC_MESSAGE, { type: 'stream.write', stream: 'x1', data: 'ls\r' }],
      [IPC_MESSAGE, { type: 'stream.ack', stream: 'x1', bytes: 5000 }],
      [IPC_MESSAGE, { type: 'stream.close', stream: 'x1' }]
    ])

    deliver({ type: 'stream.data', stream: 'x1', data: 'hello' })
    deliver({ type: 'event', id: 's1', event: 'engine.status', payload: 'not a stream' })
    deliver({ type: 'stream.end', stream: 'x1', exitCode: 0 })
    stop()
    deliver({ type: 'stream.data', stream: 'x1', data: 'after' })
    expect(seen).toEqual([
      { type: 'stream.data', stream: 'x1', data: 'hello' },
      { type: 'stream.end', stream: 'x1', exitCode: 0 }
    ])
  })

  it('asks the main process for the folder picker, and a dropped file for its path, and nothing more', async () => {
    const { ipc, invoked } = fakeIpc()
    const answers: unknown[] = ['/home/me/site', null]
    ipc.invoke = async (channel, message) => {
      invoked.push([channel, message])
      return answers.shift()
    }
    const api = createSandlotApi(ipc, { getPathForFile: (file) => `/dropped/${file.name}` })
    await expect(api.chooseFolder()).resolves.toBe('/home/me/site')
    await expect(api.chooseFolder()).resolves.toBeUndefined()
    expect(invoked).toEqual([
      [IPC_CHOOSE_FOLDER, undefined],
      [IPC_CHOOSE_FOLDER, undefined]
    ])
    expect(api.pathForFile(new File([], 'site'))).toBe('/dropped/site')
  })
})
