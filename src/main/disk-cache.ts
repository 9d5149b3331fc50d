/**
 * The browse cache kept on disk, so every team's apps and attention counts paint at launch before
 * anything is asked of Apple: one file per team, `<dataDir>/cache/<teamId>.json`, private to the
 * user (0600 in a 0700 folder), versioned, written atomically (temp file, fsync, rename, fsync of
 * the folder) and bounded:
 *
 * - per team, the 64 most recently used entries in memory and on disk, least recently used first
 *   to go; the team's apps, activity and App Store state (pinned) never go;
 * - per team file, at most `bytesPerTeam` (8 MB): entries are dropped oldest first until it fits;
 * - what a resource keeps of a long list (`persist`): an app's builds keep their first pages.
 *
 * Writes are coalesced: a change marks its team, and the marked teams are written a moment later
 * (2 s), one write per team however many answers landed; at quit every pending change is written.
 * A file that cannot be used (damaged, not JSON, written by another version, another team's) is set
 * aside as `<name>.corrupt-<time>` (`.newer-`, `.old-`) and the team starts empty: the data comes
 * from Apple again. A write that fails (a full disk, a folder without write permission) leaves the
 * file as it was and the cache working from memory, and says so in `notices()`. Nothing here
 * touches anything outside the cache folder.
 */
import { createHash } from 'node:crypto'
import * as nodeFs from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { Notice } from '../shared/contract'
import { TeamEntries, type BrowseCache } from './cache'
import { errorCode } from './errors'
import { fileTimestamp, removeStaleTempFiles, writeFileAtomic, type AtomicFs } from './files'
import type { Logger } from './log'
import type { Timer } from './platform'

export const CACHE_FOLDER = 'cache'
/** Bump when a file of this version would be misread; older and newer files are set aside. */
export const CACHE_VERSION = 1
const DEFAULT_ENTRIES_PER_TEAM = 64
export const DEFAULT_BYTES_PER_TEAM = 8 * 1024 * 1024
export const DEFAULT_WRITE_DELAY_MS = 2_000

export type CacheFs = AtomicFs & Pick<typeof nodeFs, 'readFile' | 'mkdir' | 'rm'>

export interface DiskCacheOptions {
  dataDir: string
  timer: Timer
  now: () => number
  log: Logger
  /** File operations; tests pass a wrapper that fails on purpose (a full disk). */
  fs?: CacheFs
  entriesPerTeam?: number
  bytesPerTeam?: number
  writeDelayMs?: number
}

export interface DiskCache extends BrowseCache {
  /** Reads these teams' files now (launch), so their first reads find them ready. */
  preload(teamIds: readonly string[]): Promise<void>
  /** Writes every pending change now (at quit; tests). */
  flush(): Promise<void>
  /** Forgets every team's entries and deletes every cache file. */
  clearAll(): Promise<void>
  /** Why the cache cannot be saved now; empty when it can. */
  notices(): Notice[]
  /** The team's file, for tests and the bench. */
  fileOf(teamId: string): string
  dispose(): Promise<void>
}

const fileEntry = z.tuple([
  z.string().min(1).max(1000),
  z.object({ fetchedAt: z.number(), pinned: z.boolean().optional(), value: z.unknown() }),
])

const cacheFile = z.object({
  version: z.literal(CACHE_VERSION),
  teamId: z.string(),
  savedAt: z.number(),
  entries: z.array(fileEntry),
})

type AsideReason = 'corrupt' | 'newer' | 'old' | 'unreadable'

const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/

/** A team's file name: its ID when that is a plain name (key IDs are), else a hash of it. */
function fileNameOf(teamId: string): string {
  if (SAFE_NAME.test(teamId)) return `${teamId}.json`
  return `team-${createHash('sha256').update(teamId).digest('hex').slice(0, 32)}.json`
}

const FULL_DISK = new Set(['ENOSPC', 'EDQUOT'])
const NOT_ALLOWED = new Set(['EACCES', 'EPERM', 'EROFS'])

function noticeFor(code: string | undefined, folder: string): Notice {
  const keepGoing =
    'Ascent keeps working from memory, and loads your teams from Apple again at the next launch.'
  if (code && FULL_DISK.has(code)) {
    return {
      code: 'cache.disk_full',
      message: `Ascent could not save its copy of your App Store Connect data: the disk is full. ${keepGoing} Free some disk space.`,
    }
  }
  if (code && NOT_ALLOWED.has(code)) {
    return {
      code: 'cache.unwritable',
      message: `Ascent may not write in its cache folder (${folder}). ${keepGoing} Check the folder's permissions in Finder (Get Info → Sharing & Permissions).`,
    }
  }
  return {
    code: 'cache.write_failed',
    message: `Ascent could not save its copy of your App Store Connect data (${code ?? 'write error'}). ${keepGoing}`,
  }
}

export function createDiskCache(options: DiskCacheOptions): DiskCache {
  const fs = options.fs ?? nodeFs
  const folder = join(options.dataDir, CACHE_FOLDER)
  const limit = options.entriesPerTeam ?? DEFAULT_ENTRIES_PER_TEAM
  const bytesPerTeam = options.bytesPerTeam ?? DEFAULT_BYTES_PER_TEAM
  const writeDelayMs = options.writeDelayMs ?? DEFAULT_WRITE_DELAY_MS
  const { log } = options

  const teams = new Map<string, TeamEntries>()
  /** Per team, its file read (or known to be gone): entries are served once this resolves. */
  const loads = new Map<string, Promise<void>>()
  /** Per team, its file operations one after another: a delete never races a write. */
  const chains = new Map<string, Promise<void>>()
  const dirty = new Set<string>()
  let cancelWrite: (() => void) | null = null
  let failure: Notice | null = null
  const loggedFailures = new Set<string>()

  const pathOf = (teamId: string) => join(folder, fileNameOf(teamId))

  function entriesOf(teamId: string): TeamEntries {
    let entries = teams.get(teamId)
    if (!entries) {
      entries = new TeamEntries(limit)
      teams.set(teamId, entries)
    }
    return entries
  }

  function enqueue(teamId: string, operation: () => Promise<void>): Promise<void> {
    const next = (chains.get(teamId) ?? Promise.resolve()).then(operation).catch((error) => {
      log.warn('a cache file operation failed', { error: String(error) })
    })
    chains.set(teamId, next)
    return next
  }

  /** Moves an unusable file out of the way, keeping only the newest one set aside per reason. */
  async function setAside(teamId: string, reason: AsideReason): Promise<void> {
    const name = fileNameOf(teamId)
    const aside = `${name}.${reason}-${fileTimestamp(options.now())}`
    try {
      await fs.rename(join(folder, name), join(folder, aside))
    } catch (error) {
      log.warn('could not set a cache file aside', { file: name, code: errorCode(error) })
      return
    }
    log.warn('cache file set aside, rebuilt from Apple', { file: name, aside, reason })
    const older = (await fs.readdir(folder).catch(() => [] as string[])).filter(
      (other) => other.startsWith(`${name}.${reason}-`) && other !== aside,
    )
    for (const other of older)
      await fs.rm(join(folder, other), { force: true }).catch(() => undefined)
  }

  async function readTeam(teamId: string): Promise<void> {
    const path = pathOf(teamId)
    await removeStaleTempFiles(path, fs)
    let text: string
    try {
      text = await fs.readFile(path, 'utf8')
    } catch (error) {
      const code = errorCode(error)
      if (code === 'ENOENT' || code === 'ENOTDIR') return
      return setAside(teamId, 'unreadable')
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return setAside(teamId, 'corrupt')
    }
    const version = (json as { version?: unknown } | null)?.version
    if (typeof version === 'number' && version > CACHE_VERSION) return setAside(teamId, 'newer')
    if (typeof version === 'number' && version < CACHE_VERSION) return setAside(teamId, 'old')
    const parsed = cacheFile.safeParse(json)
    if (!parsed.success || parsed.data.teamId !== teamId) return setAside(teamId, 'corrupt')
    const entries = entriesOf(teamId)
    // Oldest first, as written; an entry stored meanwhile is newer than the file's.
    for (const [key, stored] of parsed.data.entries) {
      if (entries.slots.has(key)) continue
      entries.set(
        key,
        { value: stored.value, fetchedAt: stored.fetchedAt, restored: true },
        { pinned: stored.pinned },
      )
    }
  }

  function ready(teamId: string): Promise<void> {
    let load = loads.get(teamId)
    if (!load) {
      load = enqueue(teamId, () => readTeam(teamId))
      loads.set(teamId, load)
    }
    return load
  }

  /** The team's file text, within its bounds; null when nothing is left to keep. */
  function serialize(teamId: string): string | null {
    const entries = teams.get(teamId)
    if (!entries || entries.size === 0) return null
    const items: { text: string; bytes: number; pinned: boolean }[] = []
    for (const [key, { entry, options: entryOptions }] of entries.slots) {
      const value = entryOptions.persist ? entryOptions.persist(entry.value) : entry.value
      const pinned = entryOptions.pinned === true
      const text = JSON.stringify([
        key,
        { fetchedAt: entry.fetchedAt, ...(pinned ? { pinned } : {}), value },
      ])
      items.push({ text, bytes: Buffer.byteLength(text), pinned })
    }
    let total = items.reduce((sum, item) => sum + item.bytes, 0)
    // Least recently used first; pinned entries (a team's lists) stay whatever they weigh.
    const kept = items.filter((item) => {
      if (total <= bytesPerTeam || item.pinned) return true
      total -= item.bytes
      return false
    })
    const head = `{"version":${CACHE_VERSION},"teamId":${JSON.stringify(teamId)},"savedAt":${options.now()},"entries":[`
    return `${head}${kept.map((item) => item.text).join(',')}]}\n`
  }

  async function write(teamId: string): Promise<void> {
    const text = serialize(teamId)
    try {
      if (text === null) {
        await fs.rm(pathOf(teamId), { force: true })
      } else {
        await fs.mkdir(folder, { recursive: true, mode: 0o700 })
        await writeFileAtomic(pathOf(teamId), text, fs)
      }
      failure = null
    } catch (error) {
      const code = errorCode(error)
      failure = noticeFor(code, folder)
      if (!loggedFailures.has(failure.code)) {
        loggedFailures.add(failure.code)
        log.warn('could not write the cache', { code: code ?? 'unknown' })
      }
    }
  }

  let disposed = false

  function flushDirty(): Promise<void> {
    cancelWrite?.()
    cancelWrite = null
    const teamIds = [...dirty]
    dirty.clear()
    return Promise.all(teamIds.map((teamId) => enqueue(teamId, () => write(teamId)))).then(
      () => undefined,
    )
  }

  function clearTeam(teamId: string): Promise<void> {
    teams.delete(teamId)
    dirty.delete(teamId)
    // Known empty from now on: a read must not bring back the file being deleted.
    loads.set(teamId, Promise.resolve())
    return enqueue(teamId, () => fs.rm(pathOf(teamId), { force: true }))
  }

  return {
    ready,
    preload: async (teamIds) => {
      await Promise.all(teamIds.map(ready))
    },
    get: (teamId, key) => teams.get(teamId)?.get(key),
    set(teamId, key, value, fetchedAt, entryOptions = {}) {
      entriesOf(teamId).set(key, { value, fetchedAt }, entryOptions)
      // A load that lands while the app quits is not written: the folder may be going away.
      if (disposed) return
      dirty.add(teamId)
      cancelWrite ??= options.timer.after(writeDelayMs, () => {
        cancelWrite = null
        void flushDirty()
      })
    },
    clearTeam(teamId) {
      void clearTeam(teamId)
    },
    stats() {
      let entries = 0
      for (const team of teams.values()) entries += team.size
      return { teams: teams.size, entries }
    },
    flush: async () => {
      await flushDirty()
      await Promise.all([...chains.values()])
    },
    async clearAll() {
      const names = await fs.readdir(folder).catch(() => [] as string[])
      const known = new Set([...teams.keys(), ...loads.keys()])
      await Promise.all([...known].map(clearTeam))
      // Files of teams this session never read, and files set aside.
      await Promise.all(
        names.map((name) => fs.rm(join(folder, name), { force: true }).catch(() => undefined)),
      )
    },
    notices: () => (failure ? [failure] : []),
    fileOf: pathOf,
    dispose: async () => {
      disposed = true
      await flushDirty()
      await Promise.all([...chains.values()])
    },
  }
}
