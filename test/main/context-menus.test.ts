import { describe, expect, it } from 'vitest'
import type { AppCommand, AppRow, BuildRow, TeamSummary } from '../../src/shared/contract'
import { createContextMenus, type ContextMenusOptions } from '../../src/main/context-menus'
import type { NativeMenuLine } from '../../src/main/platform'
import { createMemoryClipboard, errorCodeOf } from './fakes'

const APP: AppRow = {
  id: '1480000001',
  name: 'Northwind Mail',
  bundleId: 'com.northwind.mail',
  sku: 'NOR-MAIL-508',
  platforms: ['IOS'],
}

const BUILD: BuildRow = {
  id: 'b-4998',
  buildNumber: '4998',
  marketingVersion: '5.9',
  platform: 'MAC_OS',
  uploadedAt: 0,
  expiresAt: null,
  expired: false,
  processingState: 'VALID',
  usesNonExemptEncryption: null,
  audience: null,
  minOsVersion: null,
  internalState: null,
  externalState: null,
}

/** The menus with a host that chooses the line labelled `choose` (null: closes without one). */
function setUp(choose: string | null, overrides: Partial<ContextMenusOptions> = {}) {
  const clipboard = createMemoryClipboard()
  const opened: string[] = []
  const sent: AppCommand[] = []
  const shown: NativeMenuLine[][] = []
  const menus = createContextMenus({
    host: {
      popup: (lines) => {
        shown.push(lines)
        const index = lines.findIndex((line) => 'label' in line && line.label === choose)
        return Promise.resolve(index === -1 ? null : index)
      },
    },
    clipboard,
    openExternal: (url) => {
      opened.push(url)
      return Promise.resolve()
    },
    sendCommand: (command) => sent.push(command),
    apps: (teamId) => Promise.resolve(teamId === 'team-1' ? [APP] : null),
    build: (teamId, buildId) =>
      Promise.resolve(teamId === 'team-1' && buildId === BUILD.id ? BUILD : null),
    teams: () => Promise.resolve([{ id: 'team-1' } as TeamSummary]),
    ...overrides,
  })
  return { menus, clipboard, opened, sent, shown }
}

const labels = (lines: NativeMenuLine[]) =>
  lines.map((line) => ('label' in line ? line.label : '—'))

describe('context menus', () => {
  it('an app: copies its name, bundle ID, Apple ID and SKU, and opens its page', async () => {
    const copied: string[] = []
    for (const [label, text] of [
      ['Copy Name', 'Northwind Mail'],
      ['Copy Bundle ID', 'com.northwind.mail'],
      ['Copy Apple ID', '1480000001'],
      ['Copy SKU', 'NOR-MAIL-508'],
    ] as const) {
      const { menus, clipboard } = setUp(label)
      expect(await menus.app({ teamId: 'team-1', appId: APP.id })).toBeNull()
      expect(clipboard.written).toEqual([text])
      copied.push(clipboard.text)
    }
    expect(copied).toHaveLength(4)

    const { menus, opened, shown, clipboard } = setUp('Open in App Store Connect')
    await menus.app({ teamId: 'team-1', appId: APP.id })
    expect(labels(shown[0]!)).toEqual([
      'Copy Name',
      'Copy Bundle ID',
      'Copy Apple ID',
      'Copy SKU',
      '—',
      'Open in App Store Connect',
    ])
    expect(opened).toEqual(['https://appstoreconnect.apple.com/apps/1480000001'])
    expect(clipboard.written).toEqual([])
  })

  it('an app without a SKU has no Copy SKU', async () => {
    const { menus, shown } = setUp(null, {
      apps: () => Promise.resolve([{ ...APP, sku: null }]),
    })
    await menus.app({ teamId: 'team-1', appId: APP.id })
    expect(labels(shown[0]!)).not.toContain('Copy SKU')
  })

  it('a build: copies “5.9 (4998)”, its number and ID, and opens its TestFlight page', async () => {
    const versioned = setUp('Copy “5.9 (4998)”')
    await versioned.menus.build({ teamId: 'team-1', appId: APP.id, buildId: BUILD.id })
    expect(versioned.clipboard.written).toEqual(['5.9 (4998)'])

    const number = setUp('Copy Build Number')
    await number.menus.build({ teamId: 'team-1', appId: APP.id, buildId: BUILD.id })
    expect(number.clipboard.written).toEqual(['4998'])

    const id = setUp('Copy Build ID')
    await id.menus.build({ teamId: 'team-1', appId: APP.id, buildId: BUILD.id })
    expect(id.clipboard.written).toEqual(['b-4998'])

    const open = setUp('Open in TestFlight')
    await open.menus.build({ teamId: 'team-1', appId: APP.id, buildId: BUILD.id })
    expect(open.opened).toEqual([
      'https://appstoreconnect.apple.com/apps/1480000001/testflight/macos/b-4998',
    ])
  })

  it('a team: its seven actions, the one chosen sent to the window as a team action', async () => {
    const { menus, shown, sent, clipboard } = setUp('Export Key…')
    await menus.team({ teamId: 'team-1' })
    expect(labels(shown[0]!).filter((label) => label !== '—')).toEqual([
      'Details…',
      'Check Now',
      'Rename',
      'Replace Key…',
      'Export Key…',
      'Copy Token…',
      'Remove…',
    ])
    expect(sent).toEqual([{ type: 'teamAction', action: 'exportKey', teamId: 'team-1' }])
    expect(clipboard.written).toEqual([])
  })

  it('a menu closed without a choice does nothing', async () => {
    const { menus, clipboard, opened, sent } = setUp(null)
    await menus.app({ teamId: 'team-1', appId: APP.id })
    await menus.team({ teamId: 'team-1' })
    expect([clipboard.written, opened, sent]).toEqual([[], [], []])
  })

  it('refuses an item main does not know, and shows no menu for it', async () => {
    const { menus, shown } = setUp('Copy Name')
    expect(await errorCodeOf(() => menus.app({ teamId: 'team-1', appId: 'nope' }))).toBe(
      'menu.not_found',
    )
    expect(await errorCodeOf(() => menus.app({ teamId: 'team-2', appId: APP.id }))).toBe(
      'menu.not_found',
    )
    expect(
      await errorCodeOf(() => menus.build({ teamId: 'team-1', appId: APP.id, buildId: 'b-1' })),
    ).toBe('menu.not_found')
    expect(await errorCodeOf(() => menus.team({ teamId: 'team-9' }))).toBe('menu.not_found')
    expect(shown).toEqual([])
  })

  it('without native menus (the browser harness) says so', async () => {
    const { menus } = setUp('Copy Name', { host: undefined })
    expect(await errorCodeOf(() => menus.app({ teamId: 'team-1', appId: APP.id }))).toBe(
      'menu.unavailable',
    )
  })
})
