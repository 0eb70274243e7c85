import type { Bridge } from './bridge'
import { electronBridge } from './electron-bridge'
import { forgetSessionToken, takeSessionToken } from './session-token'
import { WsBridge } from './ws-bridge'
import { WS_PATH } from '../../src-main/core/contract/ws-transport'

/** The desktop app's preload bridge when present; otherwise the WebSocket to the server that served this page. */
export function createBridge(): Bridge | undefined {
  if (window.sandlot !== undefined) return electronBridge(window.sandlot)
  const page = { location: window.location, history: window.history, storage: window.sessionStorage }
  const token = takeSessionToken(page)
  if (token === undefined) return undefined
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  const bridge = new WsBridge({ url: `${scheme}//${window.location.host}${WS_PATH}`, token })
  bridge.onConnection(({ state }) => {
    if (state === 'unauthorized') forgetSessionToken(page.storage)
  })
  return bridge
}
