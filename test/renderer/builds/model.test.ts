import { describe, expect, it } from 'vitest'
import type { BuildRow } from '../../../src/shared/contract'
import { DAY_MS, HOUR_MS } from '../../../src/shared/attention'
import {
  buildsSummary,
  buildView,
  DEFAULT_BUILD_FILTER,
  isFiltered,
  loadingText,
} from '../../../src/renderer/builds/model'

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

describe('a list paged in', () => {
  it('says how far it is loaded, and how many match a filter', () => {
    const n = (value: number) => value.toLocaleString()
    expect(buildsSummary(5000, 400, false, null)).toBe(`${n(5000)} builds · loaded 400`)
    expect(buildsSummary(5000, 400, false, 3)).toBe(`${n(5000)} builds · loaded 400`)
    expect(buildsSummary(5000, 5000, true, null)).toBe(`${n(5000)} builds`)
    expect(buildsSummary(5000, 5000, true, 1234)).toBe(`${n(5000)} builds · ${n(1234)} match`)
    expect(buildsSummary(1, 1, true, null)).toBe('1 build')
  })

  it('says what the row after the loaded builds waits for', () => {
    const state = { loaded: 400, total: 5000, filtered: false, paging: null, failed: false }
    const of = `400 of ${(5000).toLocaleString()}`
    expect(loadingText(state)).toBe(`Loading more builds… ${of}`)
    expect(loadingText({ ...state, paging: 'more' })).toBe(`Loading more builds… ${of}`)
    expect(loadingText({ ...state, paging: 'all' })).toBe(`Loading all builds… ${of}`)
    expect(loadingText({ ...state, filtered: true, paging: 'all' })).toBe(`Filtering ${of} loaded…`)
    expect(loadingText({ ...state, total: null })).toBe('Loading more builds… 400')
    expect(loadingText({ ...state, failed: true })).toBe('More builds could not be loaded.')
    expect(loadingText({ ...state, filtered: true, failed: true })).toBe(
      `Filtered ${of} builds; the rest could not be loaded.`,
    )
  })

  it('groups what is loaded so far, and a group grows as pages come in', () => {
    const first = buildView(builds.slice(0, 3), DEFAULT_BUILD_FILTER, NOW)
    expect(first.items.filter((item) => item.kind === 'group')).toMatchObject([
      { version: '2.1', count: 2 },
      { version: '2.0', count: 1 },
    ])
    const more = buildView(builds, DEFAULT_BUILD_FILTER, NOW)
    expect(more.items.filter((item) => item.kind === 'group')).toMatchObject([
      { version: '2.1', count: 2 },
      { version: '2.0', count: 2 },
      { version: '1.9', count: 1 },
    ])
  })
})
