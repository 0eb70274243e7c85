import { ServerMessage } from '../../src-main/core/contract'
import type { Bridge, ConnectionState } from './bridge'
import { parseEvent, settleReply } from './replies'
import { TerminalStreams } from './terminal-streams'
import type { WindowSandlotApi } from './window-api'

const OPEN: ConnectionState = { state: 'open' }

/** The desktop app's bridge: IPC through the preload, which cannot drop while the window exists. */
export function electronBridge(api: WindowSandlotApi): Bridge {
  const bridge: Bridge = {
    location: 'Desktop app',
    connection: () => OPEN,
    onConnection: () => () => undefined,
    reconnectNow: () => undefined,
    call: async (method, params) => settleReply(method, await api.call(method, params)),
    subscribe: (event, listener) =>
      api.subscribe(event, (payload) => {
        const parsed = parseEvent(event, payload)
        if (parsed !== undefined) listener(parsed)
      }),
    attachTerminal: (id, listener) => streams.attach(id, listener),
    hostFolders: {
      choose: () => api.chooseFolder(),
      pathOf: (file) => api.pathForFile(file) || undefined
    }
  }
  const streams = new TerminalStreams({
    call: bridge.call,
    send: (frame) => {
      api.sendStream(frame)
      return true
    }
  })
  // The preload passes frames on as they came: they are checked here, like events.
  api.onStream((frame) => {
    const parsed = ServerMessage.safeParse(frame)
    if (parsed.success && (parsed.data.type === 'stream.data' || parsed.data.type === 'stream.end')) streams.receive(parsed.data)
  })
  return bridge
}
