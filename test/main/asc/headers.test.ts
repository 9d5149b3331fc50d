import { describe, expect, it } from 'vitest'
import { parseRateLimit, parseRetryAfter } from '../../../src/main/asc'

describe('parseRateLimit', () => {
  it("reads Apple's header", () => {
    expect(parseRateLimit('user-hour-lim:3600;user-hour-rem:3599;')).toEqual({
      limit: 3600,
      remaining: 3599,
    })
  })

  it('takes any order, spaces, case and extra entries', () => {
    expect(parseRateLimit(' User-Hour-Rem : 12 ; other:5; user-hour-lim:500')).toEqual({
      limit: 500,
      remaining: 12,
    })
  })

  it('gives null when a figure is missing or the header is absent or garbled', () => {
    expect(parseRateLimit('user-hour-lim:3600;')).toBeNull()
    expect(parseRateLimit(null)).toBeNull()
    expect(parseRateLimit('user-hour-lim:lots;user-hour-rem:1')).toBeNull()
  })
})

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0)

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
  })

  it('reads an HTTP date against the given time, never below zero', () => {
    expect(parseRetryAfter(new Date(now + 30_500).toUTCString(), now)).toBe(30)
    expect(parseRetryAfter(new Date(now - 60_000).toUTCString(), now)).toBe(0)
  })

  it('gives null when absent or unreadable', () => {
    expect(parseRetryAfter(null, now)).toBeNull()
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(parseRetryAfter('-5', now)).toBeNull()
  })
})
