/**
 * The radar's requests: a few team-wide reads that say what changed, whatever the number of apps
 * (Apple's `GET /v1/builds` needs no `filter[app]`). Every build comes with its marketing version
 * and its app's name, so news can name them. All of them fit one token scope, so the radar signs
 * one token per key every 19 minutes, not one per request.
 */
import { z } from 'zod'
import type { AscRequest, Included } from '../asc'
import { buildSchema, get, PAGE_LIMIT, requests, requestScope, requestTarget, toOne } from '../asc'
import type { WatchedBuild } from './watch'

const buildQuery = {
  'fields[builds]': [
    'version',
    'uploadedDate',
    'expirationDate',
    'expired',
    'processingState',
    'usesNonExemptEncryption',
    'iconAssetToken',
    'preReleaseVersion',
    'app',
  ],
  include: ['preReleaseVersion', 'app'],
  'fields[preReleaseVersions]': ['version', 'platform'],
  'fields[apps]': ['name'],
}

/** The newest builds the quick pass reads: what was uploaded since (a team uploads a few a day). */
export const NEWEST_BUILDS = 50

export const radarRequests = {
  /** Builds being processed now, team-wide. */
  inFlight: () =>
    get('/v1/builds', {
      'filter[processingState]': 'PROCESSING',
      ...buildQuery,
      limit: PAGE_LIMIT,
    }),
  /** The team's newest builds, whatever their state. */
  newest: () => get('/v1/builds', { sort: '-uploadedDate', ...buildQuery, limit: NEWEST_BUILDS }),
  /** Every build still in TestFlight, newest first (the sweep, page by page). */
  current: () =>
    get('/v1/builds', {
      'filter[expired]': 'false',
      sort: '-uploadedDate',
      ...buildQuery,
      limit: PAGE_LIMIT,
    }),
  /** The team's apps (the sweep). */
  apps: () => requests.apps(),
} satisfies Record<string, () => AscRequest>

/** One scope for all of them: Apple ignores `limit`, `sort` and `cursor` when matching. */
export const RADAR_SCOPE: readonly string[] = Object.values(radarRequests).map((request) =>
  requestScope('GET', requestTarget(request())),
)

export const radarBuildSchema = buildSchema.extend({
  relationships: z.object({ preReleaseVersion: toOne, app: toOne }).optional(),
})

const appNameSchema = z.object({
  type: z.literal('apps'),
  id: z.string(),
  attributes: z.object({ name: z.string() }).optional(),
})

const versionSchema = z.object({
  type: z.literal('preReleaseVersions'),
  id: z.string(),
  attributes: z.object({ version: z.string(), platform: z.string().nullish() }),
})

/** A build as the radar keeps it; null without its app (Apple always sends it when included). */
export function toWatched(
  build: z.infer<typeof radarBuildSchema>,
  included: Included,
): WatchedBuild | null {
  const appRef = build.relationships?.app?.data
  if (!appRef) return null
  const app = included.read(appNameSchema, appRef)
  const version = included.read(versionSchema, build.relationships?.preReleaseVersion?.data)
  const { attributes } = build
  return {
    id: build.id,
    appId: appRef.id,
    appName: app?.attributes?.name ?? null,
    buildNumber: attributes.version,
    marketingVersion: version?.attributes.version ?? null,
    platform: version?.attributes.platform ?? null,
    processingState: attributes.processingState,
    uploadedAt: Date.parse(attributes.uploadedDate),
    expiresAt: attributes.expirationDate ? Date.parse(attributes.expirationDate) : null,
    expired: attributes.expired ?? false,
    usesNonExemptEncryption: attributes.usesNonExemptEncryption ?? null,
    iconTemplateUrl: attributes.iconAssetToken?.templateUrl ?? null,
  }
}
