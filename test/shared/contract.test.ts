/**
 * The contract's zod-free lists of names (src/shared/contract/channels.ts), which the preload
 * builds `window.ascent` from, against the contract itself: every channel and event, nothing more.
 * Also the resource reads: one schema per resource, strict, with its defaults filled in.
 */
import { describe, expect, it } from 'vitest'
import {
  CHANNELS,
  channels,
  EVENTS,
  eventNames,
  operations,
  resources,
} from '../../src/shared/contract'

describe('the channel and event lists the preload reads', () => {
  it('name every channel of the contract, once', () => {
    expect([...CHANNELS].sort()).toEqual([...channels].sort())
    expect(new Set(CHANNELS).size).toBe(CHANNELS.length)
  })

  it('name every event of the contract, once', () => {
    expect([...EVENTS].sort()).toEqual([...eventNames].sort())
    expect(new Set(EVENTS).size).toBe(EVENTS.length)
  })
})

describe('browse:read', () => {
  const schema = operations['browse:read'].request

  it('takes a request for every resource, with its params checked and defaults filled in', () => {
    expect(Object.keys(resources).length).toBeGreaterThanOrEqual(4)
    expect(schema.parse({ teamId: 't', resource: 'builds', params: { appId: 'a' } })).toEqual({
      teamId: 't',
      resource: 'builds',
      params: { appId: 'a', from: 0, rest: false },
    })
    expect(schema.parse({ teamId: 't', resource: 'apps', params: {} })).toEqual({
      teamId: 't',
      resource: 'apps',
      params: {},
    })
  })

  it('refuses an unknown resource, another resource’s params and extra keys', () => {
    const refused = [
      { teamId: 't', resource: 'users', params: {} },
      { teamId: 't', resource: 'apps', params: { appId: 'a' } },
      { teamId: 't', resource: 'build', params: {} },
      { teamId: 't', resource: 'builds', params: { appId: 'a', from: -1 } },
      { teamId: 't', resource: 'apps', params: {}, refresh: 'force' },
      { teamId: '', resource: 'apps', params: {} },
    ]
    for (const request of refused)
      expect(schema.safeParse(request).success, JSON.stringify(request)).toBe(false)
  })
})
