/**
 * Stands in for the `electron` module when the real preload is bundled for the browser harness.
 * Only the transport is replaced: invoke goes over loopback HTTP to the real dispatcher, events
 * arrive over Server-Sent Events. Never part of the app.
 */
type Listener = (event: unknown, payload: unknown) => void

interface HarnessGlobals {
  /** Dropped files have no disk path in a browser; tests register one per file name. */
  dropPaths: Map<string, string>
}

declare global {
  interface Window {
    __ascentHarness: HarnessGlobals
  }
}

window.__ascentHarness = { dropPaths: new Map() }

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member)
    Object.freeze(value)
  }
  return value
}

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    Object.defineProperty(window, key, { value: deepFreeze(api), enumerable: true })
  },
}

let source: EventSource | null = null
const listeners = new Map<string, Map<Listener, (message: MessageEvent<string>) => void>>()

export const ipcRenderer = {
  async invoke(channel: string, request: unknown): Promise<unknown> {
    const response = await fetch('/__ipc', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Ascent-Frame': window.top === window.self ? 'top' : 'sub',
      },
      body: JSON.stringify({ channel, request }),
    })
    if (!response.ok) throw new Error(`harness transport answered ${response.status}`)
    return response.json()
  },
  on(channel: string, listener: Listener): void {
    source ??= new EventSource('/__events')
    const forward = (message: MessageEvent<string>) =>
      listener({}, JSON.parse(message.data) as unknown)
    const forChannel =
      listeners.get(channel) ?? new Map<Listener, (message: MessageEvent<string>) => void>()
    forChannel.set(listener, forward)
    listeners.set(channel, forChannel)
    source.addEventListener(channel, forward)
  },
  removeListener(channel: string, listener: Listener): void {
    const forward = listeners.get(channel)?.get(listener)
    if (forward && source) source.removeEventListener(channel, forward)
    listeners.get(channel)?.delete(listener)
  },
}

export const webUtils = {
  getPathForFile(file: File): string {
    return window.__ascentHarness.dropPaths.get(file.name) ?? ''
  },
}

export type IpcRendererEvent = object
