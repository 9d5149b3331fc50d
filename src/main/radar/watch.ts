/**
 * What the radar remembers of a team between passes, and what changed from one pass to the next:
 * pure functions over plain JSON (the memory is kept in the team's cache on disk, so a relaunch
 * goes on where it left off and never tells the same news twice).
 *
 * The memory holds the team's builds still in TestFlight (not expired), newest first, as last
 * seen: from them the radar works out every app's newest build and needs-attention counts, which
 * builds expire soon, and which finished processing, without asking Apple for each app.
 */
import type { AppActivity, AppRow } from '../../shared/contract/apps'
import type { Diagnosis } from '../../shared/diagnosis'
import { DAY_MS, isExpired } from '../../shared/attention'
import type { IpcError } from '../../shared/result'
import { toActivity } from '../browse/rows'
import type { RadarEvent } from '../notifications'

export interface WatchedBuild {
  id: string
  appId: string
  appName: string | null
  buildNumber: string
  marketingVersion: string | null
  platform: string | null
  processingState: string
  uploadedAt: number
  expiresAt: number | null
  expired: boolean
  usesNonExemptEncryption: boolean | null
  iconTemplateUrl: string | null
}

export interface RadarMemory {
  /** When the radar first looked at the team: builds uploaded before were not news to it. */
  since: number
  /** The last pass that succeeded. */
  lastRefreshAt: number | null
  /** The last pass, whatever came of it. */
  lastAttemptAt: number | null
  /** Why the last pass failed at Apple, or inside Ascent; both null after a success. */
  problem: Diagnosis | null
  error: IpcError | null
  /** The last pass that read every build still in TestFlight (not only what changed). */
  sweptAt: number | null
  builds: WatchedBuild[]
}

/** The most builds remembered per team: Apple's largest teams have tens of thousands in TestFlight. */
export const MAX_WATCHED_BUILDS = 20_000
/** A build that expires within this many days is news once. */
export const EXPIRY_NOTICE_DAYS = 3

const FINISHED = new Set(['VALID', 'FAILED', 'INVALID'])

export function newestFirst(a: WatchedBuild, b: WatchedBuild): number {
  return b.uploadedAt - a.uploadedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/**
 * The builds to remember after a pass: a sweep's are all there is (`whole`); otherwise what was
 * read now replaces what was known of the same builds. Expired builds are dropped either way.
 */
export function mergeBuilds(
  known: readonly WatchedBuild[],
  fresh: readonly WatchedBuild[],
  now: number,
  whole: boolean,
): WatchedBuild[] {
  const byId = new Map(whole ? [] : known.map((build) => [build.id, build]))
  for (const build of fresh) byId.set(build.id, build)
  return [...byId.values()]
    .filter((build) => !isExpired(build, now))
    .sort(newestFirst)
    .slice(0, MAX_WATCHED_BUILDS)
}

function eventOf(
  kind: 'buildProcessed' | 'complianceNeeded' | 'expiringSoon',
  build: WatchedBuild,
  team: { id: string; name: string },
): RadarEvent {
  return {
    id: `${kind}:${build.id}`,
    kind,
    teamId: team.id,
    teamName: team.name,
    app: { id: build.appId, name: build.appName },
    build: {
      id: build.id,
      number: build.buildNumber,
      version: build.marketingVersion,
      processingState: build.processingState,
      expiresAt: build.expiresAt,
    },
    reason: null,
  }
}

/**
 * What is news in `after` against what was remembered: builds that finished processing (seen
 * processing before, or uploaded since the last pass and already done), builds that need export
 * compliance among those, and builds that expire within 3 days. A first look at a team (no
 * memory) tells only of expiring builds: the rest was there before Ascent watched.
 */
export function eventsOf(
  before: RadarMemory | null,
  after: readonly WatchedBuild[],
  now: number,
  team: { id: string; name: string },
): RadarEvent[] {
  const events: RadarEvent[] = []
  const known = new Map(before?.builds.map((build) => [build.id, build]))
  const lastLook = before?.lastRefreshAt ?? before?.since ?? null
  for (const build of after) {
    const was = known.get(build.id)
    const finishedNow =
      FINISHED.has(build.processingState) &&
      (was
        ? was.processingState === 'PROCESSING'
        : lastLook !== null && build.uploadedAt > lastLook)
    const valid = build.processingState === 'VALID' && !isExpired(build, now)
    if (finishedNow && valid && build.usesNonExemptEncryption === null) {
      events.push(eventOf('complianceNeeded', build, team))
    } else if (finishedNow) {
      events.push(eventOf('buildProcessed', build, team))
    }
    const expiresIn = build.expiresAt === null ? null : build.expiresAt - now
    if (valid && expiresIn !== null && expiresIn > 0 && expiresIn <= EXPIRY_NOTICE_DAYS * DAY_MS) {
      events.push(eventOf('expiringSoon', build, team))
    }
  }
  return events
}

/**
 * Every app's activity from the remembered builds: an app with builds in TestFlight gets its
 * newest build, icon and counts from them; an app without keeps its newest (expired) build and
 * icon as known, with nothing that needs attention. Apps are those of the apps list when known.
 */
export function activityFrom(
  builds: readonly WatchedBuild[],
  apps: readonly Pick<AppRow, 'id'>[] | null,
  known: readonly AppActivity[] | null,
  now: number,
): AppActivity[] {
  const byApp = new Map<string, WatchedBuild[]>()
  for (const build of builds) byApp.set(build.appId, [...(byApp.get(build.appId) ?? []), build])
  const previous = new Map(known?.map((item) => [item.appId, item]))
  const appIds = apps
    ? apps.map((app) => app.id)
    : [...new Set([...previous.keys(), ...byApp.keys()])]
  return appIds.map((appId) => {
    const current = byApp.get(appId)
    if (current) return toActivity(appId, current, now)
    const before = previous.get(appId)
    return {
      appId,
      latestBuild: before?.latestBuild ?? null,
      iconTemplateUrl: before?.iconTemplateUrl ?? null,
      attention: { expiring: 0, stuck: 0, compliance: 0, failed: 0, total: 0 },
      countedAt: now,
    }
  })
}

/** A team's needs-attention total from its apps' activity. */
export function attentionTotal(activity: readonly AppActivity[]): number {
  return activity.reduce((sum, item) => sum + item.attention.total, 0)
}
