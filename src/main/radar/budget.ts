/**
 * How many requests the radar may send per key: a share of Apple's hourly allowance (the
 * `X-Rate-Limit` limit, 3,600 until Apple says otherwise) that the user sets, counted over a
 * rolling hour as Apple counts. A 429 in the background stops the key's radar until Apple's
 * `Retry-After` (or 15 minutes) and halves its share for the hour after.
 */
import type { RateLimitFigures } from '../../shared/diagnosis'
import { HOUR_MS } from '../../shared/attention'

/** Apple's documented hourly allowance per key, until an answer says otherwise. */
export const DEFAULT_HOURLY_LIMIT = 3_600
/** How long the radar leaves a key alone after a 429 that named no time. */
export const RATE_LIMITED_PAUSE_MS = 15 * 60_000

export interface RadarBudget {
  /** Requests per rolling hour the radar may send with a key. */
  allowance(key: string, rateLimit: RateLimitFigures | null, percent: number): number
  /** Requests the radar sent with the key in the last hour. */
  spent(key: string): number
  /** Counts one request sent (each try counts, as it does at Apple). */
  record(key: string): void
  /** Milliseconds until `count` more requests fit the allowance (0: now). */
  waitFor(key: string, count: number, allowance: number): number
  /** A 429: the key rests until `until`, then runs at half its share for an hour. */
  slowDown(key: string, until: number): void
  /** Until when the key rests after a 429; 0 when it does not. */
  restingUntil(key: string): number
}

export function createRadarBudget(now: () => number): RadarBudget {
  /** Per key, when each request of the last hour was sent, oldest first. */
  const sent = new Map<string, number[]>()
  const resting = new Map<string, { until: number; halvedUntil: number }>()

  function recent(key: string): number[] {
    const times = sent.get(key) ?? []
    const since = now() - HOUR_MS
    let drop = 0
    while (drop < times.length && times[drop]! <= since) drop += 1
    if (drop > 0) times.splice(0, drop)
    sent.set(key, times)
    return times
  }

  return {
    allowance(key, rateLimit, percent) {
      const limit = rateLimit && rateLimit.limit > 0 ? rateLimit.limit : DEFAULT_HOURLY_LIMIT
      const share = Math.floor((limit * percent) / 100)
      const halved = (resting.get(key)?.halvedUntil ?? 0) > now()
      return Math.max(1, halved ? Math.floor(share / 2) : share)
    },
    spent: (key) => recent(key).length,
    record(key) {
      recent(key).push(now())
    },
    waitFor(key, count, allowance) {
      const times = recent(key)
      const over = times.length + count - allowance
      if (over <= 0) return 0
      // The request that must age out of the hour before `count` more fit.
      const oldest = times[Math.min(over, times.length) - 1]
      return oldest === undefined ? HOUR_MS : oldest + HOUR_MS - now() + 1
    },
    slowDown(key, until) {
      resting.set(key, { until, halvedUntil: until + HOUR_MS })
    },
    restingUntil(key) {
      const until = resting.get(key)?.until ?? 0
      return until > now() ? until : 0
    },
  }
}
