import type { Bridge, ConnectionState } from './bridge'
import { parseEvent, settleReply } from './replies'
import type { WindowSandlotApi } from './window-api'

const OPEN: ConnectionState = { state: 'open' }

/** The desktop app's bridge: IPC through the preload, which cannot drop while the window exists. */
export function electronBridge(api: WindowSandlotApi): Bridge {
  return {
    location: 'Desktop app',
    connection: () => OPEN,
    onConnection: () => () => undefined,
    reconnectNow: () => undefined,
    call: async (method, params) => settleReply(method, await api.call(method, params)),
    subscribe: (event, listener) =>
      api.subscribe(event, (payload) => {
        const parsed = parseEvent(event, payload)
        if (parsed !== undefined) listener(parsed)
      })
  }
}
