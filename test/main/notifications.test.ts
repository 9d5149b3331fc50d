/**
 * Notifications of what the radar saw: one per event, grouped when several arrive together, a
 * click opening what it names, never shown twice (the ledger outlives the process), none of a
 * kind switched off in Settings.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/main/log'
import { createNotifier, type OpenTarget, type RadarEvent } from '../../src/main/notifications'
import { DEFAULT_BACKGROUND_SETTINGS, fixedSettings } from '../../src/main/radar'
import { createRecordingNotifications } from './fakes'

let dataDir: string

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ascent-notifications-'))
})

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

function processed(buildId: string, teamId = 'T1'): RadarEvent {
  return {
    id: `processed:${buildId}`,
    kind: 'buildProcessed',
    teamId,
    teamName: teamId === 'T1' ? 'Northwind Labs' : 'Fabrikam CI',
    app: { id: 'A1', name: 'Northwind Mail' },
    build: {
      id: buildId,
      number: buildId,
      version: '5.9',
      processingState: 'VALID',
      expiresAt: null,
    },
    reason: null,
  }
}

function notifier(settings = fixedSettings()) {
  const desktop = createRecordingNotifications()
  const opened: OpenTarget[] = []
  const posting = createNotifier({
    dataDir,
    now: () => Date.parse('2026-12-04T12:00:00Z'),
    log: silentLogger,
    desktop,
    settings,
    open: (target) => opened.push(target),
  })
  return { posting, shown: desktop.shown, opened }
}

describe('notifications', () => {
  it('one per event, a click opens the build, and a relaunch never shows it again', async () => {
    const first = notifier()
    await first.posting.post([processed('4998')])
    expect(first.shown.map((shown) => shown.title)).toEqual([
      'Northwind Mail 5.9 (4998) is ready to test',
    ])
    first.shown[0]!.click()
    expect(first.opened).toEqual([{ teamId: 'T1', appId: 'A1', buildId: '4998' }])
    await first.posting.post([processed('4998')])
    expect(first.shown).toHaveLength(1)

    const relaunched = notifier()
    await relaunched.posting.post([processed('4998')])
    expect(relaunched.shown).toEqual([])
  })

  it('several of a kind and team at once become one, opening the team', async () => {
    const { posting, shown, opened } = notifier()
    await posting.post([processed('1'), processed('2'), processed('3'), processed('9', 'T2')])
    expect(shown.map((entry) => [entry.title, entry.body])).toEqual([
      ['3 builds are ready to test', 'Northwind Labs'],
      [expect.stringContaining('(9) is ready to test') as unknown, 'Fabrikam CI'],
    ])
    shown[0]!.click()
    expect(opened).toEqual([{ teamId: 'T1', appId: 'A1', buildId: null }])
  })

  it('a kind switched off shows nothing, and switching it on later brings no old news back', async () => {
    const settings = fixedSettings({
      ...DEFAULT_BACKGROUND_SETTINGS,
      notifications: { ...DEFAULT_BACKGROUND_SETTINGS.notifications, buildProcessed: false },
    })
    const { posting, shown } = notifier(settings)
    await posting.post([processed('7')])
    expect(shown).toEqual([])
    settings.set(DEFAULT_BACKGROUND_SETTINGS)
    await posting.post([processed('7')])
    expect(shown).toEqual([])
    await posting.post([processed('8')])
    expect(shown).toHaveLength(1)
  })
})
