import type { ServerMessage } from '../src-main/core/contract'
import { IPC_CHOOSE_FOLDER, IPC_MESSAGE, IPC_REQUEST } from '../src-main/electron/ipc-channels'
import type { WindowSandlotApi } from '../src-renderer/bridge/window-api'

/** The part of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, message: unknown): Promise<unknown>
  send(channel: string, message: unknown): void
  on(channel: string, listener: (event: unknown, message: ServerMessage) => void): unknown
}

/** Electron's webUtils: a dropped File's path on this machine (File.path is gone from sandboxed pages). */
export interface FilePaths {
  getPathForFile(file: File): string
}

/**
 * `window.sandlot`: the contract's calls, subscriptions and stream frames and nothing else (no raw ipcRenderer).
 * The main process validates every frame and checks the sender; this side only builds frames and routes them.
 * Beside them, the native folder picker and a dropped file's path: both give only a path the user chose.
 */
export function createSandlotApi(ipc: IpcRendererLike, files: FilePaths): WindowSandlotApi {
  const listeners = new Map<string, (payload: unknown) => void>()
  const streamListeners = new Set<(frame: Extract<ServerMessage, { type: 'stream.data' | 'stream.end' }>) => void>()
  let lastId = 0
  const nextId = (prefix: string): string => `${prefix}${(lastId += 1)}`

  ipc.on(IPC_MESSAGE, (_event, message) => {
    if (message?.type === 'event') listeners.get(message.id)?.(message.payload)
    else if (message?.type === 'stream.data' || message?.type === 'stream.end') for (const listener of streamListeners) listener(message)
  })

  return {
    call: (method, params) => ipc.invoke(IPC_REQUEST, { type: 'request', id: nextId('r'), method, params }) as Promise<ServerMessage>,
    subscribe(event, listener) {
      const id = nextId('s')
      listeners.set(id, listener)
      ipc.send(IPC_MESSAGE, { type: 'subscribe', id, event })
      return () => {
        if (listeners.delete(id)) ipc.send(IPC_MESSAGE, { type: 'unsubscribe', id })
      }
    },
    sendStream(frame) {
      // Rebuilt field by field: only a stream frame's own fields ever reach the main process.
      if (frame.type === 'stream.write') ipc.send(IPC_MESSAGE, { type: frame.type, stream: frame.stream, data: frame.data })
      else if (frame.type === 'stream.ack') ipc.send(IPC_MESSAGE, { type: frame.type, stream: frame.stream, bytes: frame.bytes })
      else if (frame.type === 'stream.close') ipc.send(IPC_MESSAGE, { type: frame.type, stream: frame.stream })
    },
    onStream(listener) {
      streamListeners.add(listener)
      return () => streamListeners.delete(listener)
    },
    chooseFolder: async () => {
      const chosen = await ipc.invoke(IPC_CHOOSE_FOLDER, undefined)
      return typeof chosen === 'string' ? chosen : undefined
    },
    // An empty path for a File that is not on disk (made by the page): the view treats it as nothing dropped.
    pathForFile: (file) => files.getPathForFile(file)
  }
}
