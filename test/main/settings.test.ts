import * as fs from 'node:fs/promises'
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/main/log'
import {
  DEFAULT_SETTINGS,
  SETTINGS_FILE,
  createSettings,
  type SettingsFs,
  type SettingsStore,
} from '../../src/main/settings'
import type { Settings } from '../../src/shared/contract'
import { errorCodeOf } from './fakes'

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0, 0)
const STAMP = '20260501T120000000Z'

let dataDir: string
let path: string

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ascent-settings-'))
  path = join(dataDir, SETTINGS_FILE)
})

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

function store(fsOverride?: SettingsFs): SettingsStore {
  return createSettings({ dataDir, now: () => NOW, log: silentLogger, fs: fsOverride })
}

async function fileOnDisk(): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown
}

describe('loading settings.json', () => {
  it('starts from the defaults when there is no file, and writes none until something changes', async () => {
    expect(await store().state()).toEqual({ settings: DEFAULT_SETTINGS, notice: null })
    expect(DEFAULT_SETTINGS).toEqual({
      appearance: 'system',
      updates: { enabled: true },
      backgroundRefresh: { enabled: true, budgetPercent: 5 },
      notifications: {
        buildProcessed: true,
        complianceNeeded: true,
        expiringSoon: true,
        keyStopped: true,
      },
    })
    expect(await readdir(dataDir)).toEqual([])
  })

  it('reads back what was saved', async () => {
    await store().update({ appearance: 'dark', backgroundRefresh: { budgetPercent: 20 } })
    expect(await store().get()).toEqual({
      ...DEFAULT_SETTINGS,
      appearance: 'dark',
      backgroundRefresh: { enabled: true, budgetPercent: 20 },
    })
  })

  it('fills a field missing from a file of this version with its default, without a notice', async () => {
    await writeFile(path, JSON.stringify({ version: 1, appearance: 'light' }))
    expect(await store().state()).toEqual({
      settings: { ...DEFAULT_SETTINGS, appearance: 'light' },
      notice: null,
    })
  })

  it.each([
    ['not JSON', '{"version": 1, "appearance": '],
    ['not an object', '[1, 2]'],
    ['no version', JSON.stringify({ appearance: 'dark' })],
    ['an older version', JSON.stringify({ version: 0, appearance: 'dark' })],
    ['a value of the wrong type', JSON.stringify({ version: 1, updates: { enabled: 'yes' } })],
    [
      'a budget out of range',
      JSON.stringify({ version: 1, backgroundRefresh: { enabled: true, budgetPercent: 80 } }),
    ],
    ['a field it does not know', JSON.stringify({ version: 1, theme: 'dark' })],
  ])(
    'sets a damaged file (%s) aside and starts from the defaults, with a notice',
    async (_, text) => {
      await writeFile(path, text)
      const state = await store().state()
      expect(state.settings).toEqual(DEFAULT_SETTINGS)
      expect(state.notice?.code).toBe('settings.reset_corrupt')
      expect(state.notice?.message).toContain(`settings.json.corrupt-${STAMP}`)
      expect(await readdir(dataDir)).toEqual([`settings.json.corrupt-${STAMP}`])
      expect(await readFile(join(dataDir, `settings.json.corrupt-${STAMP}`), 'utf8')).toBe(text)
    },
  )

  it('sets aside a file from a newer Ascent instead of misreading it', async () => {
    const newer = JSON.stringify({ version: 2, appearance: 'dark', somethingNew: true })
    await writeFile(path, newer)
    const state = await store().state()
    expect(state.settings).toEqual(DEFAULT_SETTINGS)
    expect(state.notice?.code).toBe('settings.reset_newer')
    expect(state.notice?.message).toMatch(/newer version of Ascent/)
    expect(await readFile(join(dataDir, `settings.json.newer-${STAMP}`), 'utf8')).toBe(newer)
    // The next change writes a fresh file of this version; the newer one stays aside.
    await store().update({ appearance: 'light' })
    expect(await fileOnDisk()).toMatchObject({ version: 1, appearance: 'light' })
    expect((await readdir(dataDir)).sort()).toEqual(
      [`settings.json.newer-${STAMP}`, 'settings.json'].sort(),
    )
  })

  it('sets aside what it cannot read (a folder in the file’s place)', async () => {
    await mkdir(path)
    const state = await store().state()
    expect(state.notice?.code).toBe('settings.unreadable')
    expect(await readdir(dataDir)).toEqual([`settings.json.unreadable-${STAMP}`])
  })

  it('never overwrites a file it could neither read nor move aside', async () => {
    await writeFile(path, JSON.stringify({ version: 1, appearance: 'dark' }))
    const denied = () => Object.assign(new Error('denied'), { code: 'EACCES' })
    const locked: SettingsFs = {
      ...fs,
      readFile: (() => Promise.reject(denied())) as SettingsFs['readFile'],
      rename: () => Promise.reject(denied()),
    }
    const settings = store(locked)
    const state = await settings.state()
    expect(state.settings).toEqual(DEFAULT_SETTINGS)
    expect(state.notice?.code).toBe('settings.unreadable')
    expect(state.notice?.message).toMatch(/cannot be saved/)
    expect(await errorCodeOf(() => settings.update({ appearance: 'light' }))).toBe(
      'settings.write_failed',
    )
    expect(await settings.get()).toEqual(DEFAULT_SETTINGS)
    expect(await fileOnDisk()).toEqual({ version: 1, appearance: 'dark' })
  })

  it('removes temp files a crash left behind', async () => {
    await writeFile(join(dataDir, '.settings.json.0a1b2c.tmp'), '{"version": 1, "appea')
    await store().get()
    expect(await readdir(dataDir)).toEqual([])
  })
})

describe('changing settings', () => {
  it('saves a partial change atomically, private to the user, versioned', async () => {
    const settings = store()
    const answer = await settings.update({ notifications: { expiringSoon: false } })
    expect(answer).toEqual({
      ...DEFAULT_SETTINGS,
      notifications: { ...DEFAULT_SETTINGS.notifications, expiringSoon: false },
    })
    expect(await fileOnDisk()).toEqual({ version: 1, ...answer })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readdir(dataDir)).toEqual(['settings.json'])
    // Fields of the group that were not named keep their values.
    const next = await settings.update({ notifications: { keyStopped: false } })
    expect(next.notifications).toEqual({
      buildProcessed: true,
      complianceNeeded: true,
      expiringSoon: false,
      keyStopped: false,
    })
  })

  it('tells its listeners after each saved change, and only when something changed', async () => {
    const settings = store()
    const seen: Settings[] = []
    const stop = settings.onChange((next) => seen.push(next))
    await settings.update({ updates: { enabled: false } })
    await settings.update({ updates: { enabled: false } })
    expect(seen).toEqual([{ ...DEFAULT_SETTINGS, updates: { enabled: false } }])
    stop()
    await settings.update({ appearance: 'dark' })
    expect(seen).toHaveLength(1)
  })

  it('refuses a change that breaks the schema, saving nothing', async () => {
    const settings = store()
    for (const patch of [
      {},
      { appearance: 'blue' },
      { backgroundRefresh: { budgetPercent: 0 } },
      { backgroundRefresh: { budgetPercent: 51 } },
      { backgroundRefresh: { budgetPercent: 2.5 } },
      { updates: { enabled: true, often: true } },
      { theme: 'dark' },
    ]) {
      await expect(settings.update(patch as never), JSON.stringify(patch)).rejects.toThrow()
    }
    expect(await readdir(dataDir)).toEqual([])
    expect(await settings.get()).toEqual(DEFAULT_SETTINGS)
  })

  it('keeps the old settings, on disk and in force, when saving fails', async () => {
    const settings = store()
    await settings.update({ appearance: 'dark' })
    const seen: Settings[] = []
    settings.onChange((next) => seen.push(next))
    const full = Object.assign(new Error('no space'), { code: 'ENOSPC' })
    const failing = store({ ...fs, rename: () => Promise.reject(full) })
    await failing.get()
    const code = await errorCodeOf(() => failing.update({ appearance: 'light' }))
    expect(code).toBe('settings.write_failed')
    expect(await failing.get()).toMatchObject({ appearance: 'dark' })
    expect(await fileOnDisk()).toMatchObject({ appearance: 'dark' })
    expect(await readdir(dataDir)).toEqual(['settings.json'])
    expect(seen).toEqual([])
  })

  it('applies changes one after another, none lost', async () => {
    const settings = store()
    const answers = await Promise.all([
      settings.update({ appearance: 'dark' }),
      settings.update({ updates: { enabled: false } }),
      settings.update({ backgroundRefresh: { budgetPercent: 12 } }),
    ])
    const expected = {
      ...DEFAULT_SETTINGS,
      appearance: 'dark',
      updates: { enabled: false },
      backgroundRefresh: { enabled: true, budgetPercent: 12 },
    }
    expect(answers[2]).toEqual(expected)
    expect(await store().get()).toEqual(expected)
  })

  it('goes on after a failed change', async () => {
    const settings = store()
    await expect(settings.update({ appearance: 'blue' } as never)).rejects.toThrow()
    expect(await settings.update({ appearance: 'light' })).toMatchObject({ appearance: 'light' })
  })
})
