// IPC channels between the preload and the main process. They carry the contract's wire frames
// (ClientMessage / ServerMessage), the same ones the WebSocket carries.

/** invoke: a `request` frame in, its `result` or `error` frame back. */
export const IPC_REQUEST = 'sandlot:request'

/** send, both ways: `subscribe`/`unsubscribe` frames in; their acknowledgements and `event` frames out. */
export const IPC_MESSAGE = 'sandlot:message'

/** invoke, no payload: the native folder picker; answers the chosen folder's absolute path, or null when cancelled. */
export const IPC_CHOOSE_FOLDER = 'sandlot:choose-folder'
