import { describe, expect, it } from 'vitest'
import type { BuildRow } from '../../../src/shared/contract'
import { DAY_MS, HOUR_MS } from '../../../src/shared/attention'
import { buildView, DEFAULT_BUILD_FILTER, isFiltered } from '../../../src/renderer/builds/model'

const NOW = Date.UTC(2026, 4, 1)

function build(
  id: string,
  version: string,
  ageMs: number,
  overrides: Partial<BuildRow> = {},
): BuildRow {
  const uploadedAt = NOW - ageMs
  return {
    id,
    buildNumber: id,
    marketingVersion: version,
    platform: 'IOS',
    uploadedAt,
    expiresAt: uploadedAt + 90 * DAY_MS,
    expired: false,
    processingState: 'VALID',
    usesNonExemptEncryption: false,
    audience: 'APP_STORE_ELIGIBLE',
    minOsVersion: '17.0',
    internalState: 'IN_BETA_TESTING',
    externalState: 'BETA_APPROVED',
    ...overrides,
  }
}

// Newest first, as main sends them.
const builds = [
  build('30', '2.1', 2 * HOUR_MS, { processingState: 'PROCESSING' }),
  build('29', '2.1', DAY_MS, { platform: 'MAC_OS', usesNonExemptEncryption: null }),
  build('28', '2.0', 10 * DAY_MS),
  build('27', '2.0', 86 * DAY_MS),
  build('26', '1.9', 120 * DAY_MS, { expired: true }),
]

describe('the builds table', () => {
  it('groups by marketing version, newest group first, builds newest first inside', () => {
    const view = buildView(builds, DEFAULT_BUILD_FILTER, NOW)
    expect(view.items.map((item) => item.key)).toEqual([
      'group:2.1',
      '30',
      '29',
      'group:2.0',
      '28',
      '27',
      'group:1.9',
      '26',
    ])
    expect(view.items[0]).toMatchObject({ kind: 'group', count: 2, attention: 2 })
    expect(view).toMatchObject({ shown: 5, attention: 3, platforms: ['IOS', 'MAC_OS'] })
  })

  it('lists builds alone when not grouped', () => {
    const view = buildView(builds, { ...DEFAULT_BUILD_FILTER, groupByVersion: false }, NOW)
    expect(view.items.map((item) => item.key)).toEqual(['30', '29', '28', '27', '26'])
  })

  it('filters by version or build number, platform, state, expiry and attention', () => {
    const keys = (change: Partial<typeof DEFAULT_BUILD_FILTER>) =>
      buildView(
        builds,
        { ...DEFAULT_BUILD_FILTER, groupByVersion: false, ...change },
        NOW,
      ).items.map((item) => item.key)
    expect(keys({ version: '2.0' })).toEqual(['28', '27'])
    expect(keys({ version: '(29)' })).toEqual(['29'])
    expect(keys({ platform: 'MAC_OS' })).toEqual(['29'])
    expect(keys({ state: 'PROCESSING' })).toEqual(['30'])
    expect(keys({ expiry: 'expired' })).toEqual(['26'])
    expect(keys({ expiry: 'current' })).toEqual(['30', '29', '28', '27'])
    expect(keys({ attentionOnly: true })).toEqual(['30', '29', '27'])
    expect(isFiltered({ ...DEFAULT_BUILD_FILTER, groupByVersion: false })).toBe(false)
    expect(isFiltered({ ...DEFAULT_BUILD_FILTER, expiry: 'current' })).toBe(true)
  })
})
