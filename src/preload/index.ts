/**
 * The preload: runs sandboxed, bundled into one file, and exposes only `window.ascent`.
 */
import './zod-without-eval'
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { buildBridge } from './bridge'

const api = buildBridge(
  {
    send: (channel, request) => ipcRenderer.invoke(channel, request),
    subscribe: (event, listener) => {
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
      ipcRenderer.on(event, forward)
      return () => {
        ipcRenderer.removeListener(event, forward)
      }
    },
  },
  {
    'keys:importDropped': (file) => ({ path: webUtils.getPathForFile(file) }),
  },
)

contextBridge.exposeInMainWorld('ascent', api)
