import { IPC_CHOOSE_FOLDER } from './ipc-channels'
import { isTrustedSender, type IpcMainLike } from './ipc-handlers'

/**
 * The native folder picker for the New workspace view: outside the contract, since only the desktop app can show
 * it (a browser cannot give a host path). Only the app's own page may open it; it answers a path or null.
 * Returns the undo.
 */
export function registerFolderPicker(ipc: IpcMainLike, isAppUrl: (url: string) => boolean, pick: () => Promise<string | undefined>): () => void {
  ipc.handle(IPC_CHOOSE_FOLDER, async (event) => {
    if (!isTrustedSender(event, isAppUrl)) throw new Error('Refused: this page is not the Sandlot app.')
    return (await pick()) ?? null
  })
  return () => ipc.removeHandler(IPC_CHOOSE_FOLDER)
}
