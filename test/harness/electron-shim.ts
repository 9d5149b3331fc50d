/**
 * Stands in for the `electron` module when the real preload is bundled for the browser harness.
 * Only the transport and the desktop are replaced: invoke goes over loopback HTTP to the real
 * dispatcher, events arrive over Server-Sent Events, and a dropped file's path comes from the
 * tests or, in the demo, from the key folders (page-desktop.ts). Never part of the app.
 */
import type { IpcEnvelope } from './desktop-protocol'
import { startPageDesktop } from './page-desktop'

type Listener = (event: unknown, payload: unknown) => void

interface HarnessGlobals {
  /** Dropped files have no disk path in a browser; tests register one per file name. */
  dropPaths: Map<string, string>
  /** Settles once the page knows whether the harness stands in for a desktop (the demo). */
  ready: Promise<void>
}

declare global {
  interface Window {
    __ascentHarness: HarnessGlobals
  }
}

let source: EventSource | null = null
const events = () => (source ??= new EventSource('/__events'))
const listeners = new Map<string, Map<Listener, (message: MessageEvent<string>) => void>>()

const desktop = startPageDesktop((event, listener) =>
  events().addEventListener(event, (message: MessageEvent<string>) =>
    listener(JSON.parse(message.data) as unknown),
  ),
)

window.__ascentHarness = { dropPaths: new Map(), ready: desktop.ready }

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

export const ipcRenderer = {
  async invoke(channel: string, request: unknown): Promise<unknown> {
    const envelope: IpcEnvelope = {
      channel,
      request,
      clipboard: await desktop.clipboardFor(channel),
    }
    const response = await fetch('/__ipc', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Ascent-Frame': window.top === window.self ? 'top' : 'sub',
      },
      body: JSON.stringify(envelope),
    })
    if (!response.ok) throw new Error(`harness transport answered ${response.status}`)
    return response.json()
  },
  on(channel: string, listener: Listener): void {
    const forward = (message: MessageEvent<string>) =>
      listener({}, JSON.parse(message.data) as unknown)
    const forChannel =
      listeners.get(channel) ?? new Map<Listener, (message: MessageEvent<string>) => void>()
    forChannel.set(listener, forward)
    listeners.set(channel, forChannel)
    events().addEventListener(channel, forward)
  },
  removeListener(channel: string, listener: Listener): void {
    const forward = listeners.get(channel)?.get(listener)
    if (forward && source) source.removeEventListener(channel, forward)
    listeners.get(channel)?.delete(listener)
  },
}

export const webUtils = {
  getPathForFile(file: File): string {
    return window.__ascentHarness.dropPaths.get(file.name) ?? desktop.pathOfDrop(file)
  },
}

export type IpcRendererEvent = object
