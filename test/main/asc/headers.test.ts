import { describe, expect, it } from 'vitest'
import { earliestHttpDate, parseRateLimit, parseRetryAfter } from '../../../src/main/asc'

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

describe('earliestHttpDate', () => {
  const at = (text: string) => Date.parse(text)

  it('reads one HTTP date', () => {
    expect(earliestHttpDate('Tue, 01 Dec 2026 10:00:00 GMT')).toBe(Date.UTC(2026, 11, 1, 10, 0, 0))
  })

  it('takes the earliest of a doubled header, whose dates hold commas themselves', () => {
    expect(earliestHttpDate('Tue, 01 Dec 2026 10:00:05 GMT, Tue, 01 Dec 2026 10:00:00 GMT')).toBe(
      at('2026-12-01T10:00:00Z'),
    )
    expect(earliestHttpDate('Tue, 01 Dec 2026 10:00:00 GMT,Tue, 01 Dec 2026 10:00:05 GMT')).toBe(
      at('2026-12-01T10:00:00Z'),
    )
  })

  it('reads the two obsolete forms HTTP recipients must accept, alone and in a list', () => {
    expect(earliestHttpDate('Tuesday, 01-Dec-26 10:00:00 GMT')).toBe(at('2026-12-01T10:00:00Z'))
    expect(earliestHttpDate('Tue Dec  1 10:00:00 2026')).toBe(at('2026-12-01T10:00:00Z'))
    expect(earliestHttpDate('Tue, 01 Dec 2026 10:00:09 GMT, Tuesday, 01-Dec-26 10:00:03 GMT')).toBe(
      at('2026-12-01T10:00:03Z'),
    )
  })

  it('skips what is not a well-formed date, and gives null when nothing is', () => {
    expect(earliestHttpDate('soon, Tue, 01 Dec 2026 10:00:00 GMT')).toBe(at('2026-12-01T10:00:00Z'))
    expect(earliestHttpDate('Tue, 01 Dec 2026 10:00:07 GMT, Tue, 31 Nov 2026 10:00:00 GMT')).toBe(
      at('2026-12-01T10:00:07Z'),
    )
    expect(earliestHttpDate('Tue, 01 Dec 2026 25:00:00 GMT')).toBeNull()
    expect(earliestHttpDate('2026-12-01T10:00:00Z')).toBeNull()
    expect(earliestHttpDate('not a date')).toBeNull()
    expect(earliestHttpDate('')).toBeNull()
    expect(earliestHttpDate(null)).toBeNull()
  })
})
