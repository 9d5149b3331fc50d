import { describe, expect, it, vi } from 'vitest'
import { buildBridge, type Transport } from '../../src/preload/bridge'
import { channels, eventNames } from '../../src/shared/contract'

function fakeTransport() {
  const sent: { channel: string; request: unknown }[] = []
  const subscribers = new Map<string, (payload: unknown) => void>()
  const transport: Transport = {
    send: (channel, request) => {
      sent.push({ channel, request })
      return Promise.resolve({ ok: true, value: channel })
    },
    subscribe: (event, listener) => {
      subscribers.set(event, listener)
      return () => subscribers.delete(event)
    },
  }
  return { transport, sent, subscribers }
}

describe('buildBridge', () => {
  it('binds one function per channel to that channel only', async () => {
    const { transport, sent } = fakeTransport()
    const api = buildBridge(transport, { 'keys:importDropped': () => ({ path: '/x' }) })
    expect(await api.teams.activate({ teamId: 't' })).toEqual({ ok: true, value: 'teams:activate' })
    expect(sent).toEqual([{ channel: 'teams:activate', request: { teamId: 't' } }])
    const members = Object.values(api).flatMap((namespace) => Object.keys(namespace))
    expect(members).toHaveLength(channels.length + eventNames.length)
  })

  it('turns a dropped File into its path before it leaves the preload', async () => {
    const { transport, sent } = fakeTransport()
    const getPath = vi.fn((_file: File) => '/Users/me/AuthKey_2X9R4HXF34.p8')
    const api = buildBridge(transport, {
      'keys:importDropped': (file) => ({ path: getPath(file) }),
    })
    const file = new File(['ignored'], 'AuthKey_2X9R4HXF34.p8')
    await api.keys.importDropped(file)
    expect(getPath).toHaveBeenCalledWith(file)
    expect(sent).toEqual([
      { channel: 'keys:importDropped', request: { path: '/Users/me/AuthKey_2X9R4HXF34.p8' } },
    ])
  })

  it('answers a typed error when the transport fails', async () => {
    const api = buildBridge(
      { send: () => Promise.reject(new Error('gone')), subscribe: () => () => undefined },
      { 'keys:importDropped': () => ({ path: '' }) },
    )
    expect(await api.app.info()).toEqual({
      ok: false,
      error: { code: 'ipc.transport', message: 'Ascent could not reach its main process.' },
    })
  })

  it('delivers events to listeners and lets them unsubscribe', () => {
    const { transport, subscribers } = fakeTransport()
    const api = buildBridge(transport, { 'keys:importDropped': () => ({ path: '' }) })
    const listener = vi.fn()
    const unsubscribe = api.app.onCommand(listener)
    subscribers.get('app:command')?.({ type: 'refresh' })
    expect(listener).toHaveBeenCalledWith({ type: 'refresh' })
    unsubscribe()
    expect(subscribers.has('app:command')).toBe(false)
  })
})
