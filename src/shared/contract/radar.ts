/**
 * The radar: main refreshes every saved team in the background, within a share of each key's
 * hourly allowance, and tells the window how each team stands (its attention count, when it was
 * last refreshed, why that failed), from what is cached on disk at launch. Clear Cached Data
 * forgets what main has cached of a team, or of every team.
 */
import { z } from 'zod'
import type { Diagnosis } from '../diagnosis'
import type { IpcError } from '../result'
import { event, operation } from './define'

/** Why the radar is not refreshing anything now. */
export type RadarPause = 'disabled' | 'offline' | 'asleep' | 'lowBattery'

export interface TeamRadar {
  teamId: string
  /** Builds that need attention, as last counted (from disk at launch); null when never counted. */
  attention: number | null
  /** The last background refresh that succeeded; null when none has yet. */
  lastRefreshAt: number | null
  refreshing: boolean
  /** Why the last background refresh failed at Apple; null after a success. */
  problem: Diagnosis | null
  /** Why it failed inside Ascent (the key is gone from the keychain). */
  error: IpcError | null
  /** Requests the radar sent with the team's key in the last hour. */
  requestsThisHour: number
}

export interface RadarOverview {
  paused: RadarPause | null
  budget: {
    /** Percent of Apple's hourly allowance per key the radar may use. */
    percent: number
    /** The same as requests per key per hour, at Apple's usual 3,600. */
    requestsPerKeyPerHour: number
  }
  teams: TeamRadar[]
}

/** A team's cached data was cleared (null: every team's). The screens read from Apple again. */
export interface CacheCleared {
  teamId: string | null
}

const teamId = z.string().min(1).max(100)

export const radarOperations = {
  'radar:overview': operation<RadarOverview>()(z.undefined()),
  /**
   * Clear Cached Data: forgets what is cached of the team (`teamId: null`: of every team), on
   * disk and in memory; nothing of the keys is touched.
   */
  'cache:clear': operation<null>()(z.object({ teamId: teamId.nullable() }).strict()),
}

export const radarEvents = {
  'radar:changed': event<RadarOverview>(),
  'cache:cleared': event<CacheCleared>(),
}
