/**
 * What Ascent has read from App Store Connect, per team, in memory: the lists a screen paints at
 * once on a revisit while a refresh runs. It holds no secret (no key, no token), nothing outlives
 * the process, and a team's entries go with the team. Each team keeps its most recently used
 * entries only, so browsing many apps cannot grow main's memory without bound.
 */

/** A typed slot in a team's cache: `key<AppRow[]>('apps')`. */
export interface CacheKey<T> {
  readonly id: string
  /** Carries the value type only; never set. */
  readonly valueType?: T
}

export function cacheKey<T>(id: string): CacheKey<T> {
  return { id }
}

export interface CacheEntry<T> {
  value: T
  /** When the value came from Apple, ms since the epoch. */
  fetchedAt: number
}

export interface BrowseCache {
  get<T>(teamId: string, key: CacheKey<T>): CacheEntry<T> | undefined
  set<T>(teamId: string, key: CacheKey<T>, value: T, fetchedAt: number): void
  /** Forgets every entry of the team. */
  clearTeam(teamId: string): void
  /** Teams with entries, and entries in all (tests and the bench). */
  stats(): { teams: number; entries: number }
}

const DEFAULT_ENTRIES_PER_TEAM = 64

export function createBrowseCache(options: { entriesPerTeam?: number } = {}): BrowseCache {
  const limit = options.entriesPerTeam ?? DEFAULT_ENTRIES_PER_TEAM
  const teams = new Map<string, Map<string, CacheEntry<unknown>>>()

  return {
    get<T>(teamId: string, key: CacheKey<T>) {
      const entries = teams.get(teamId)
      const entry = entries?.get(key.id)
      if (!entries || !entry) return undefined
      // Map order is the recency order: a read moves the entry to the back.
      entries.delete(key.id)
      entries.set(key.id, entry)
      return entry as CacheEntry<T>
    },
    set<T>(teamId: string, key: CacheKey<T>, value: T, fetchedAt: number) {
      let entries = teams.get(teamId)
      if (!entries) {
        entries = new Map()
        teams.set(teamId, entries)
      }
      entries.delete(key.id)
      entries.set(key.id, { value, fetchedAt })
      while (entries.size > limit) {
        const oldest = entries.keys().next().value
        if (oldest === undefined) break
        entries.delete(oldest)
      }
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
