import type { CoreApi } from '../core/api'
import type { ServerMessage } from '../core/contract'
import { ApiSession } from '../transport/api-session'
import { IPC_MESSAGE, IPC_REQUEST } from './ipc-channels'

/** The parts of Electron's IPC objects the handlers use (Electron is faked at this boundary in tests). */
export interface SenderFrame {
  url: string
  /** null for a window's top frame. */
  parent: unknown
}

export interface Sender {
  id: number
  send(channel: string, message: ServerMessage): void
  isDestroyed(): boolean
  once(event: 'destroyed', listener: () => void): unknown
  on(event: 'did-start-navigation', listener: (details: { isMainFrame: boolean; isSameDocument: boolean }) => void): unknown
}

export interface IpcEvent {
  /** null once the frame navigated away or was destroyed. */
  senderFrame: SenderFrame | null
  sender: Sender
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEvent, payload: unknown) => unknown): void
  on(channel: string, listener: (event: IpcEvent, payload: unknown) => void): unknown
  removeHandler(channel: string): void
  removeAllListeners(channel: string): unknown
}

/** Only the app's own page, in a window's top frame, may use the bridge: not an iframe, not a page it navigated to. */
export function isTrustedSender(event: IpcEvent, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame
  return frame !== null && frame.parent === null && isAppUrl(frame.url)
}

/**
 * The core API over IPC: one ApiSession per window, so subscriptions and terminal streams end when its page reloads
 * or closes (the terminals go on in the core; the reloaded page attaches again and gets their screens).
 * Frames are validated against the contract by the session; untrusted senders get nothing. Returns the undo.
 */
export function registerIpcHandlers(ipc: IpcMainLike, api: CoreApi, isAppUrl: (url: string) => boolean): () => void {
  const sessions = new Map<number, ApiSession>()
  const followed = new Set<number>()

  const end = (id: number): void => {
    sessions.get(id)?.close()
    sessions.delete(id)
  }

  const sessionOf = (sender: Sender): ApiSession => {
    const existing = sessions.get(sender.id)
    if (existing !== undefined) return existing
    const session = new ApiSession(api, (message) => {
      if (!sender.isDestroyed()) sender.send(IPC_MESSAGE, message)
    })
    sessions.set(sender.id, session)
    if (!followed.has(sender.id)) {
      followed.add(sender.id)
      const id = sender.id
      sender.once('destroyed', () => {
        end(id)
        followed.delete(id)
      })
      // A reload starts a new page with its own subscriptions; the old page's must not outlive it.
      sender.on('did-start-navigation', ({ isMainFrame, isSameDocument }) => {
        if (isMainFrame && !isSameDocument) end(id)
      })
    }
    return session
  }

  ipc.handle(IPC_REQUEST, (event, payload) => {
    if (!isTrustedSender(event, isAppUrl)) throw new Error('Refused: this page is not the Sandlot app.')
    return sessionOf(event.sender).answer(payload)
  })
  ipc.on(IPC_MESSAGE, (event, payload) => {
    if (isTrustedSender(event, isAppUrl)) sessionOf(event.sender).receive(payload)
  })

  return () => {
    ipc.removeHandler(IPC_REQUEST)
    ipc.removeAllListeners(IPC_MESSAGE)
    for (const id of [...sessions.keys()]) end(id)
  }
}
