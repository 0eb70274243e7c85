import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { createSandlotApi } from './sandlot-api'

// A sandboxed preload: bundled as CommonJS with everything inlined, since it can require only `electron`.
contextBridge.exposeInMainWorld('sandlot', createSandlotApi(ipcRenderer, webUtils))
