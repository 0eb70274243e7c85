import { describe, expect, it } from 'vitest'
import { registerFolderPicker } from './folder-picker'
import { IPC_CHOOSE_FOLDER } from './ipc-channels'
import type { IpcEvent, IpcMainLike } from './ipc-handlers'

/** ipcMain's handle/removeHandler, faked at its boundary. */
function fakeIpc() {
  const handlers = new Map<string, (event: IpcEvent, payload: unknown) => unknown>()
  const ipc: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    on: () => undefined,
    removeHandler: (channel) => void handlers.delete(channel),
    removeAllListeners: () => undefined
  }
  return { ipc, handlers }
}

const from = (url: string, parent: unknown = null): IpcEvent =>
  ({ senderFrame: { url, parent }, sender: { id: 1, send: () => undefined, isDestroyed: () => false, once: () => undefined, on: () => undefined } }) as IpcEvent
const isAppUrl = (url: string): boolean => url.startsWith('sandlot://app/')

describe('the folder picker over IPC', () => {
  it("answers the app's own page with the chosen folder, or null when the picker was cancelled", async () => {
    const { ipc, handlers } = fakeIpc()
    const answers = ['/home/me/site', undefined]
    registerFolderPicker(ipc, isAppUrl, async () => answers.shift())
    const handler = handlers.get(IPC_CHOOSE_FOLDER)!
    await expect(handler(from('sandlot://app/index.html'), undefined)).resolves.toBe('/home/me/site')
    await expect(handler(from('sandlot://app/index.html'), undefined)).resolves.toBeNull()
  })

  it('never opens the picker for another page or a frame inside the app, and is gone after its undo', async () => {
    const { ipc, handlers } = fakeIpc()
    let opened = 0
    const undo = registerFolderPicker(ipc, isAppUrl, async () => {
      opened += 1
      return '/x'
    })
    const handler = handlers.get(IPC_CHOOSE_FOLDER)!
    await expect(handler(from('https://evil.example/'), undefined)).rejects.toThrow('not the Sandlot app')
    await expect(handler(from('sandlot://app/index.html', {}), undefined)).rejects.toThrow('not the Sandlot app')
    expect(opened).toBe(0)
    undo()
    expect(handlers.has(IPC_CHOOSE_FOLDER)).toBe(false)
  })
})
