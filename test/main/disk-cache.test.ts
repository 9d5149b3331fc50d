/**
 * The browse cache on disk: what a team's screens showed, written 0600 and atomically, read back
 * by the next launch; a file it cannot use set aside and rebuilt, a write that fails reported,
 * never a crash and never anything outside the cache folder touched.
 */
import * as nodeFs from 'node:fs/promises'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CACHE_VERSION, createDiskCache, type CacheFs } from '../../src/main/disk-cache'
import { silentLogger } from '../../src/main/log'
import { createFakeTimer } from './fakes'

let dataDir: string

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ascent-disk-cache-'))
})

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

function open(fs?: CacheFs) {
  return createDiskCache({
    dataDir,
    timer: createFakeTimer(),
    now: () => 1_000,
    log: silentLogger,
    fs,
  })
}

const APPS = { apps: [{ id: '1', name: 'Northwind Mail' }] }

describe('the browse cache on disk', () => {
  it('writes a team’s entries 0600 and gives them to the next launch', async () => {
    const first = open()
    await first.ready('TEAM1')
    first.set('TEAM1', 'apps', APPS, 900, { pinned: true })
    await first.flush()
    const file = first.fileOf('TEAM1')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: CACHE_VERSION })
    await first.dispose()

    const next = open()
    await next.preload(['TEAM1'])
    expect(next.get('TEAM1', 'apps')).toMatchObject({ value: APPS, fetchedAt: 900 })
    await next.dispose()
  })

  it('writes nothing once disposed: a load landing while the app quits sets no write going', async () => {
    const timer = createFakeTimer()
    const cache = createDiskCache({ dataDir, timer, now: () => 1_000, log: silentLogger })
    await cache.ready('TEAM1')
    cache.set('TEAM1', 'apps', APPS, 900)
    await cache.dispose()
    expect(await readdir(join(dataDir, 'cache'))).toHaveLength(1)
    await rm(join(dataDir, 'cache'), { recursive: true })

    cache.set('TEAM1', 'activity', APPS, 950)
    expect(timer.pending()).toEqual([])
    await cache.flush()
    await expect(readdir(join(dataDir, 'cache'))).rejects.toThrow(/ENOENT/)
  })

  for (const [what, text, mark] of [
    ['not JSON', 'not json at all', '.corrupt-'],
    ['truncated', '{"version":1,"teamId":"TEAM1","sav', '.corrupt-'],
    [
      'from a newer Ascent',
      JSON.stringify({ version: CACHE_VERSION + 1, teamId: 'TEAM1' }),
      '.newer-',
    ],
  ] as const) {
    it(`sets a file ${what} aside and starts the team empty`, async () => {
      const probe = open()
      const file = probe.fileOf('TEAM1')
      await probe.dispose()
      await nodeFs.mkdir(join(dataDir, 'cache'), { recursive: true })
      await writeFile(file, text)
      await writeFile(join(dataDir, 'keys.json'), '{"untouched":true}')

      const cache = open()
      await cache.preload(['TEAM1'])
      expect(cache.get('TEAM1', 'apps')).toBeUndefined()
      const names = await readdir(join(dataDir, 'cache'))
      expect(names.some((name) => name.includes(mark))).toBe(true)
      cache.set('TEAM1', 'apps', APPS, 900, { pinned: true })
      await cache.flush()
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ teamId: 'TEAM1' })
      expect(await readFile(join(dataDir, 'keys.json'), 'utf8')).toBe('{"untouched":true}')
      await cache.dispose()
    })
  }

  it('a write that fails (a full disk) keeps the old file, says so, and keeps working from memory', async () => {
    const first = open()
    await first.ready('TEAM1')
    first.set('TEAM1', 'apps', APPS, 900, { pinned: true })
    await first.flush()
    const before = await readFile(first.fileOf('TEAM1'), 'utf8')
    await first.dispose()

    const full: CacheFs = {
      ...nodeFs,
      open: () => Promise.reject(Object.assign(new Error('no space left'), { code: 'ENOSPC' })),
    }
    const cache = open(full)
    await cache.preload(['TEAM1'])
    cache.set('TEAM1', 'apps', { apps: [] }, 950, { pinned: true })
    await cache.flush()
    expect(cache.notices().length).toBe(1)
    expect(cache.get('TEAM1', 'apps')).toMatchObject({ fetchedAt: 950 })
    expect(await readFile(cache.fileOf('TEAM1'), 'utf8')).toBe(before)
    await cache.dispose()
  })

  it('clearing a team deletes its file; clearing all deletes every file', async () => {
    const cache = open()
    for (const team of ['TEAM1', 'TEAM2']) {
      await cache.ready(team)
      cache.set(team, 'apps', APPS, 900, { pinned: true })
    }
    await cache.flush()
    cache.clearTeam('TEAM1')
    await cache.flush()
    await expect(stat(cache.fileOf('TEAM1'))).rejects.toThrow()
    expect((await stat(cache.fileOf('TEAM2'))).isFile()).toBe(true)
    await cache.clearAll()
    expect(
      (await readdir(join(dataDir, 'cache'))).filter((name) => name.endsWith('.json')),
    ).toEqual([])
    await cache.dispose()
  })
})
