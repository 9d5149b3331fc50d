import { describe, expect, it } from 'vitest'
import { DAY_MS, HOUR_MS } from '../../../src/shared/attention'
import { expiryLabel } from '../../../src/renderer/builds/format'

const NOW = Date.UTC(2026, 4, 1)

function expiring(inMs: number | null, expired = false) {
  return {
    processingState: 'VALID',
    uploadedAt: NOW - DAY_MS,
    expiresAt: inMs === null ? null : NOW + inMs,
    expired,
    usesNonExemptEncryption: false,
  }
}

describe('expiry', () => {
  it('is short in the table and whole in the inspector', () => {
    expect(expiryLabel(expiring(89 * DAY_MS), NOW)).toEqual({
      text: 'Expires in 89 days',
      short: '89 days',
      soon: false,
      expired: false,
    })
    expect(expiryLabel(expiring(DAY_MS - HOUR_MS), NOW)).toMatchObject({
      text: 'Expires in 1 day',
      short: '1 day',
      soon: true,
    })
    expect(expiryLabel(expiring(0), NOW)).toMatchObject({ short: 'Expired', expired: true })
    expect(expiryLabel(expiring(30 * DAY_MS, true), NOW)).toMatchObject({
      text: 'Expired',
      short: 'Expired',
      soon: false,
    })
    expect(expiryLabel(expiring(null), NOW)).toMatchObject({ text: '—', short: '—' })
  })

  it('turns amber from seven days left', () => {
    expect(expiryLabel(expiring(7 * DAY_MS), NOW)).toMatchObject({ short: '7 days', soon: true })
    expect(expiryLabel(expiring(8 * DAY_MS), NOW)).toMatchObject({ short: '8 days', soon: false })
  })
})
