import { describe, expect, it } from 'vitest'
import {
  INTERVAL_PER_REQUEST_MS,
  isRefreshDue,
  MIN_REFRESH_INTERVAL_MS,
  refreshIntervalMs,
  refreshState,
  SLOWDOWN_FACTOR,
} from '../../src/main/browse'

const limit = 3600

describe('the rate-limit policy for quiet refreshes', () => {
  it('is normal with most of the hour left, or before Apple has said anything', () => {
    expect(refreshState(null)).toBe('normal')
    expect(refreshState({ limit, remaining: 3599 })).toBe('normal')
    expect(refreshState({ limit, remaining: 720 })).toBe('normal')
  })

  it('slows down below a fifth of the hour, and pauses below a twentieth', () => {
    expect(refreshState({ limit, remaining: 719 })).toBe('slowed')
    expect(refreshState({ limit, remaining: 180 })).toBe('slowed')
    expect(refreshState({ limit, remaining: 179 })).toBe('paused')
    expect(refreshState({ limit, remaining: 0 })).toBe('paused')
  })

  it('spaces refreshes by what they cost', () => {
    expect(refreshIntervalMs(1, null)).toBe(MIN_REFRESH_INTERVAL_MS)
    expect(refreshIntervalMs(31, null)).toBe(31 * INTERVAL_PER_REQUEST_MS)
    expect(refreshIntervalMs(31, { limit, remaining: 500 })).toBe(
      31 * INTERVAL_PER_REQUEST_MS * SLOWDOWN_FACTOR,
    )
    expect(refreshIntervalMs(1, { limit, remaining: 10 })).toBeNull()
  })

  it('keeps a whole hour of quiet refreshes of one list well inside the limit', () => {
    for (const cost of [1, 5, 31, 200]) {
      const perHour = (3_600_000 / (refreshIntervalMs(cost, null) ?? Infinity)) * cost
      expect(perHour).toBeLessThanOrEqual(limit / 10)
    }
  })

  it('says when a refresh is due', () => {
    const fetchedAt = 1_000_000
    const rateLimit = { limit, remaining: 3000 }
    const at = (now: number) => isRefreshDue({ fetchedAt, now, cost: 1, rateLimit })
    expect(at(fetchedAt + MIN_REFRESH_INTERVAL_MS - 1)).toBe(false)
    expect(at(fetchedAt + MIN_REFRESH_INTERVAL_MS)).toBe(true)
    expect(
      isRefreshDue({
        fetchedAt,
        now: fetchedAt + 86_400_000,
        cost: 1,
        rateLimit: { limit, remaining: 1 },
      }),
    ).toBe(false)
  })
})
