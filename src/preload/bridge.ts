/**
 * Builds `window.ascent` from the contract: one function per operation, bound to its own channel,
 * and one `onX` subscription per event. Nothing generic (no `invoke(channel)`, no `on(name)`) is
 * ever handed to the page. It reads the contract's names only (./channels.ts), never its zod
 * schemas: main checks every request, and the preload stays small.
 */
import type { AscentApi, BridgeArguments, Channel, EventName } from '../shared/contract'
import { CHANNELS, EVENTS, eventBridgeName, splitChannel } from '../shared/contract/channels'
import { IpcErrorCode, type Result } from '../shared/result'

/** How the bridge reaches main: `ipcRenderer` in Electron, loopback HTTP in the harness. */
export interface Transport {
  /** One request to main's handler for `channel`; resolves with its Result. */
  send(channel: Channel, request: unknown): Promise<unknown>
  /** Returns the function that removes the listener. */
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void
}

export type Adapters = { [C in keyof BridgeArguments]: (argument: BridgeArguments[C]) => unknown }

export function buildBridge(transport: Transport, adapters: Adapters): AscentApi {
  const api: Record<string, Record<string, unknown>> = {}
  const namespace = (name: string) => (api[name] ??= {})
  const adapterFor = (channel: Channel) =>
    (adapters as Partial<Record<Channel, (argument: never) => unknown>>)[channel]

  for (const channel of CHANNELS) {
    const [name, verb] = splitChannel(channel)
    const adapt = adapterFor(channel)
    namespace(name)[verb] = async (argument?: unknown): Promise<Result<unknown>> => {
      try {
        const request = adapt ? adapt(argument as never) : argument
        return (await transport.send(channel, request)) as Result<unknown>
      } catch {
        return {
          ok: false,
          error: {
            code: IpcErrorCode.transport,
            message: 'Ascent could not reach its main process.',
          },
        }
      }
    }
  }

  for (const event of EVENTS) {
    const [name, member] = eventBridgeName(event)
    namespace(name)[member] = (listener: unknown) => {
      if (typeof listener !== 'function') throw new TypeError(`${member} needs a function`)
      return transport.subscribe(event, (payload) =>
        (listener as (value: unknown) => void)(payload),
      )
    }
  }

  return api as unknown as AscentApi
}
