import { describe, expect, it } from 'vitest'
import type { AttentionFacts } from '../../src/shared/attention'
import {
  attentionReasons,
  countAttention,
  DAY_MS,
  daysUntilExpiry,
  HOUR_MS,
  isExpired,
} from '../../src/shared/attention'

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0)

function build(overrides: Partial<AttentionFacts> & { ageMs?: number } = {}): AttentionFacts {
  const { ageMs = 10 * DAY_MS, ...rest } = overrides
  const uploadedAt = NOW - ageMs
  return {
    processingState: 'VALID',
    uploadedAt,
    expiresAt: uploadedAt + 90 * DAY_MS,
    expired: false,
    usesNonExemptEncryption: false,
    ...rest,
  }
}

describe('needs attention, on a fixed clock', () => {
  it('a healthy build needs nothing', () => {
    expect(attentionReasons(build(), NOW)).toEqual([])
  })

  it('expiring within 7 days, counted in whole days', () => {
    expect(attentionReasons(build({ ageMs: 83 * DAY_MS }), NOW)).toEqual(['expiring'])
    expect(daysUntilExpiry(build({ ageMs: 83 * DAY_MS }), NOW)).toBe(7)
    expect(attentionReasons(build({ ageMs: 83 * DAY_MS - HOUR_MS }), NOW)).toEqual([])
    expect(daysUntilExpiry(build({ ageMs: 83 * DAY_MS - HOUR_MS }), NOW)).toBe(8)
  })

  it('an expired build needs nothing, whether Apple flagged it or the date passed', () => {
    expect(attentionReasons(build({ ageMs: 91 * DAY_MS }), NOW)).toEqual([])
    expect(isExpired(build({ ageMs: 91 * DAY_MS }), NOW)).toBe(true)
    expect(attentionReasons(build({ expired: true, usesNonExemptEncryption: null }), NOW)).toEqual(
      [],
    )
  })

  it('processing for over an hour is stuck; less is normal', () => {
    const processing = { processingState: 'PROCESSING', usesNonExemptEncryption: null }
    expect(attentionReasons(build({ ...processing, ageMs: HOUR_MS + 1 }), NOW)).toEqual(['stuck'])
    expect(attentionReasons(build({ ...processing, ageMs: 59 * 60_000 }), NOW)).toEqual([])
  })

  it('a valid build without an export compliance answer is missing it', () => {
    expect(attentionReasons(build({ usesNonExemptEncryption: null }), NOW)).toEqual(['compliance'])
    expect(attentionReasons(build({ usesNonExemptEncryption: true }), NOW)).toEqual([])
  })

  it('failed and invalid builds need attention while they would be in TestFlight', () => {
    expect(attentionReasons(build({ processingState: 'FAILED' }), NOW)).toEqual(['failed'])
    expect(attentionReasons(build({ processingState: 'INVALID' }), NOW)).toEqual(['failed'])
    expect(
      attentionReasons(build({ processingState: 'FAILED', ageMs: 200 * DAY_MS }), NOW),
    ).toEqual([])
  })

  it('counts each reason, and each build once in the total', () => {
    const counts = countAttention(
      [
        build(),
        build({ ageMs: 85 * DAY_MS, usesNonExemptEncryption: null }),
        build({ processingState: 'PROCESSING', ageMs: 3 * HOUR_MS }),
        build({ processingState: 'INVALID', ageMs: DAY_MS }),
      ],
      NOW,
    )
    expect(counts).toEqual({ expiring: 1, stuck: 1, compliance: 1, failed: 1, total: 3 })
  })
})
