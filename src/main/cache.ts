/**
 * What Ascent has read from App Store Connect, per team: the data a screen paints at once on a
 * revisit while a refresh runs. It holds no secret (no key, no token), and a team's entries go
 * with the team. Each team keeps its most recently used entries only, so browsing many apps
 * cannot grow memory without bound.
 *
 * The serve step (src/main/browse/serve.ts) uses it through `BrowseCache` alone, and stores plain
 * JSON values only (objects, arrays, strings, numbers, booleans, null: no Dates, no classes), so a
 * store on disk implements the same interface (./disk-cache.ts): it reads a team's file before
 * `ready(teamId)` resolves, and writes behind `set`.
 */

export interface CacheEntry {
  /** Plain JSON, as the resource that stored it shaped it. */
  value: unknown
  /** When the value came from Apple, ms since the epoch. */
  fetchedAt: number
  /** Read from disk at launch, not fetched from Apple in this session. */
  restored?: boolean
}

export interface EntryOptions {
  /**
   * What of the value goes to disk (a long list keeps its first rows only); the whole value by
   * default. The memory cache ignores it.
   */
  persist?: (value: unknown) => unknown
  /**
   * Never evicted to make room (a team's apps and attention counts, which the sidebar paints at
   * launch): only what a screen showed once in a while gives way.
   */
  pinned?: boolean
}

export interface BrowseCache {
  /** Resolves once the team's entries can be read (a store on disk has read its file). */
  ready(teamId: string): Promise<void>
  /** The entry under `key` in the team's cache (a read makes it the most recently used). */
  get(teamId: string, key: string): CacheEntry | undefined
  set(teamId: string, key: string, value: unknown, fetchedAt: number, options?: EntryOptions): void
  /** Forgets every entry of the team (a store on disk deletes its file). */
  clearTeam(teamId: string): void
  /** Teams with entries, and entries in all (tests and the bench). */
  stats(): { teams: number; entries: number }
}

const DEFAULT_ENTRIES_PER_TEAM = 64

/** Entries kept in memory per team, most recently used last; pinned ones are never evicted. */
export class TeamEntries {
  readonly slots = new Map<string, { entry: CacheEntry; options: EntryOptions }>()

  constructor(private readonly limit: number) {}

  get(key: string): CacheEntry | undefined {
    const slot = this.slots.get(key)
    if (!slot) return undefined
    // Map order is the recency order: a read moves the entry to the back.
    this.slots.delete(key)
    this.slots.set(key, slot)
    return slot.entry
  }

  set(key: string, entry: CacheEntry, options: EntryOptions): void {
    this.slots.delete(key)
    this.slots.set(key, { entry, options })
    for (const [oldKey, old] of this.slots) {
      if (this.slots.size <= this.limit) break
      if (!old.options.pinned) this.slots.delete(oldKey)
    }
  }

  get size(): number {
    return this.slots.size
  }
}

/** The cache in memory: nothing outlives the process. */
export function createBrowseCache(options: { entriesPerTeam?: number } = {}): BrowseCache {
  const limit = options.entriesPerTeam ?? DEFAULT_ENTRIES_PER_TEAM
  const teams = new Map<string, TeamEntries>()

  return {
    ready: () => Promise.resolve(),
    get: (teamId, key) => teams.get(teamId)?.get(key),
    set(teamId, key, value, fetchedAt, entryOptions = {}) {
      let entries = teams.get(teamId)
      if (!entries) {
        entries = new TeamEntries(limit)
        teams.set(teamId, entries)
      }
      entries.set(key, { value, fetchedAt }, entryOptions)
    },
    clearTeam(teamId) {
      teams.delete(teamId)
    },
    stats() {
      let entries = 0
      for (const team of teams.values()) entries += team.size
      return { teams: teams.size, entries }
    },
  }
}
