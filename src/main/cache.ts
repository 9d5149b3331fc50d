/**
 * What Ascent has read from App Store Connect, per team: the data a screen paints at once on a
 * revisit while a refresh runs. It holds no secret (no key, no token), and a team's entries go
 * with the team. Each team keeps its most recently used entries only, so browsing many apps
 * cannot grow memory without bound.
 *
 * The serve step (src/main/browse/serve.ts) uses it through `BrowseCache` alone, and stores plain
 * JSON values only (objects, arrays, strings, numbers, booleans, null: no Dates, no classes), so a
 * store on disk can implement the same interface: read its file before the first `get`, write
 * behind `set`.
 */

export interface CacheEntry {
  /** Plain JSON, as the resource that stored it shaped it. */
  value: unknown
  /** When the value came from Apple, ms since the epoch. */
  fetchedAt: number
}

export interface BrowseCache {
  /** The entry under `key` in the team's cache (a read makes it the most recently used). */
  get(teamId: string, key: string): CacheEntry | undefined
  set(teamId: string, key: string, value: unknown, fetchedAt: number): void
  /** Forgets every entry of the team. */
  clearTeam(teamId: string): void
  /** Teams with entries, and entries in all (tests and the bench). */
  stats(): { teams: number; entries: number }
}

const DEFAULT_ENTRIES_PER_TEAM = 64

/** The cache in memory: nothing outlives the process. */
export function createBrowseCache(options: { entriesPerTeam?: number } = {}): BrowseCache {
  const limit = options.entriesPerTeam ?? DEFAULT_ENTRIES_PER_TEAM
  const teams = new Map<string, Map<string, CacheEntry>>()

  return {
    get(teamId, key) {
      const entries = teams.get(teamId)
      const entry = entries?.get(key)
      if (!entries || !entry) return undefined
      // Map order is the recency order: a read moves the entry to the back.
      entries.delete(key)
      entries.set(key, entry)
      return entry
    },
    set(teamId, key, value, fetchedAt) {
      let entries = teams.get(teamId)
      if (!entries) {
        entries = new Map()
        teams.set(teamId, entries)
      }
      entries.delete(key)
      entries.set(key, { value, fetchedAt })
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
