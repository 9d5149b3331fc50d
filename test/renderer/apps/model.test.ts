import { describe, expect, it } from 'vitest'
import type { AppActivity, AppRow } from '../../../src/shared/contract'
import { matchesQuery, visibleApps } from '../../../src/renderer/apps/model'

function app(id: string, name: string, bundleId: string, sku: string | null = null): AppRow {
  return { id, name, bundleId, sku, platforms: ['IOS'] }
}

function activity(appId: string, uploadedAt: number | null, attention: number): AppActivity {
  return {
    appId,
    latestBuild:
      uploadedAt === null
        ? null
        : {
            id: `${appId}-b`,
            buildNumber: '1',
            marketingVersion: '1.0',
            platform: 'IOS',
            processingState: 'VALID',
            uploadedAt,
            expiresAt: null,
            expired: false,
          },
    iconTemplateUrl: null,
    attention: { expiring: 0, stuck: 0, compliance: 0, failed: attention, total: attention },
    countedAt: 0,
  }
}

const apps = [
  app('1', 'Northwind Mail', 'com.northwind.mail', 'NOR-MAIL-1'),
  app('2', 'Contoso Chess', 'com.contoso.chess', 'CON-CHESS-2'),
  app('3', 'Atlas', 'org.atlas.app'),
]
const activities = new Map([
  ['1', activity('1', 3_000, 2)],
  ['2', activity('2', 9_000, 0)],
  ['3', activity('3', null, 0)],
])

describe('the apps list', () => {
  it('matches every word of the query against name, bundle ID and SKU', () => {
    expect(matchesQuery(apps[0]!, 'north MAIL')).toBe(true)
    expect(matchesQuery(apps[0]!, 'com.northwind')).toBe(true)
    expect(matchesQuery(apps[0]!, 'nor-mail-1')).toBe(true)
    expect(matchesQuery(apps[0]!, 'mail chess')).toBe(false)
    expect(matchesQuery(apps[2]!, '  ')).toBe(true)
  })

  it('sorts by name, bundle ID or newest build (apps without builds last)', () => {
    const names = (sort: 'name' | 'bundleId' | 'newestBuild') =>
      visibleApps(apps, activities, { query: '', sort, attentionOnly: false }).map((a) => a.id)
    expect(names('name')).toEqual(['3', '2', '1'])
    expect(names('bundleId')).toEqual(['2', '1', '3'])
    expect(names('newestBuild')).toEqual(['2', '1', '3'])
  })

  it('shows only apps that need attention when asked', () => {
    const shown = visibleApps(apps, activities, { query: '', sort: 'name', attentionOnly: true })
    expect(shown.map((a) => a.id)).toEqual(['1'])
  })
})
