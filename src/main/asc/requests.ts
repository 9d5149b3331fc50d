/**
 * The exact requests the screens make. Each asks only for what its screen shows (sparse
 * `fields[...]`), takes related rows in the same answer (`include`), and pages at Apple's maximum.
 * Exported so a screen can build the scope of its token from the same requests (`requestScope`).
 */

export interface AscRequest {
  method: 'GET'
  path: string
  /** In order; values are plain text, encoded when the URL is written. */
  query: readonly (readonly [string, string])[]
}

export const PAGE_LIMIT = 200
/** Apple's maximum for `limit[...]` on included relationships. */
export const INCLUDED_LIMIT = 50

const APP_FIELDS = ['name', 'bundleId', 'sku', 'primaryLocale', 'appStoreVersions']
const APP_STORE_VERSION_FIELDS = [
  'platform',
  'versionString',
  'appVersionState',
  'releaseType',
  'createdDate',
]
export const BUILD_ROW_FIELDS = [
  'version',
  'uploadedDate',
  'expirationDate',
  'expired',
  'minOsVersion',
  'processingState',
  'buildAudienceType',
  'usesNonExemptEncryption',
  'iconAssetToken',
  'preReleaseVersion',
  'buildBetaDetail',
]
const BUILD_DETAIL_FIELDS = [...BUILD_ROW_FIELDS, 'lsMinimumSystemVersion', 'appStoreVersion']
const PRE_RELEASE_VERSION_FIELDS = ['version', 'platform']
const BUILD_BETA_DETAIL_FIELDS = ['internalBuildState', 'externalBuildState', 'autoNotifyEnabled']

/** `GET path?query`, lists written comma-separated as Apple's `form, explode: false` wants. */
export function get(
  path: string,
  query: Record<string, string | number | readonly string[]>,
): AscRequest {
  return {
    method: 'GET',
    path,
    query: Object.entries(query).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(',') : String(value as string | number),
    ]),
  }
}

const buildRowQuery = {
  include: ['preReleaseVersion', 'buildBetaDetail'],
  'fields[builds]': BUILD_ROW_FIELDS,
  'fields[preReleaseVersions]': PRE_RELEASE_VERSION_FIELDS,
  'fields[buildBetaDetails]': BUILD_BETA_DETAIL_FIELDS,
}

const appQuery = {
  'fields[apps]': APP_FIELDS,
  include: ['appStoreVersions'],
  'fields[appStoreVersions]': APP_STORE_VERSION_FIELDS,
  'limit[appStoreVersions]': INCLUDED_LIMIT,
}

export const requests = {
  /** Every app of the team, with its App Store versions (platforms, live version): one page. */
  apps: (limit = PAGE_LIMIT) => get('/v1/apps', { ...appQuery, sort: 'name', limit }),

  app: (appId: string) => get(`/v1/apps/${encodeURIComponent(appId)}`, appQuery),

  /** An app's builds, newest first, each with its marketing version and TestFlight states. */
  builds: (appId: string, limit = PAGE_LIMIT) =>
    get('/v1/builds', {
      'filter[app]': appId,
      sort: '-uploadedDate',
      ...buildRowQuery,
      limit,
    }),

  /**
   * An app's builds still in TestFlight (not expired), newest first: every build that can need
   * attention is among them.
   */
  currentBuilds: (appId: string, limit = PAGE_LIMIT) =>
    get('/v1/builds', {
      'filter[app]': appId,
      'filter[expired]': 'false',
      sort: '-uploadedDate',
      ...buildRowQuery,
      limit,
    }),

  /** The builds of some of an app's pre-release versions (one part of loading all builds). */
  buildsOfVersions: (appId: string, preReleaseVersionIds: readonly string[], limit = PAGE_LIMIT) =>
    get('/v1/builds', {
      'filter[app]': appId,
      'filter[preReleaseVersion]': preReleaseVersionIds,
      ...buildRowQuery,
      limit,
    }),

  /**
   * An app's pre-release versions with how many builds each has: one included build per version
   * makes Apple report the relationship's `meta.paging.total`.
   */
  preReleaseVersions: (appId: string, limit = PAGE_LIMIT) =>
    get('/v1/preReleaseVersions', {
      'filter[app]': appId,
      'fields[preReleaseVersions]': [...PRE_RELEASE_VERSION_FIELDS, 'builds'],
      include: ['builds'],
      'limit[builds]': 1,
      'fields[builds]': ['version'],
      limit,
    }),

  build: (buildId: string) =>
    get(`/v1/builds/${encodeURIComponent(buildId)}`, {
      include: ['preReleaseVersion', 'buildBetaDetail', 'appStoreVersion'],
      'fields[builds]': BUILD_DETAIL_FIELDS,
      'fields[preReleaseVersions]': PRE_RELEASE_VERSION_FIELDS,
      'fields[buildBetaDetails]': BUILD_BETA_DETAIL_FIELDS,
      'fields[appStoreVersions]': APP_STORE_VERSION_FIELDS,
    }),

  /** The key check's harmless reads: any key may list apps; TestFlight; Admin-only users. */
  probeApps: () => get('/v1/apps', { limit: 1 }),
  probeTestFlight: () => get('/v1/betaGroups', { limit: 1 }),
  probeUsers: () => get('/v1/users', { limit: 1 }),
} satisfies Record<string, (...args: never[]) => AscRequest>

/** Percent-encodes a query part, leaving `[`, `]` and `,` readable as Apple's own examples do. */
function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(/%5B|%5D|%2C/g, (escape) => decodeURIComponent(escape))
}

/** `/v1/apps?fields[apps]=name,bundleId&limit=200`: the path and query, no host. */
export function requestTarget(request: AscRequest): string {
  const query = request.query
    .map(([name, value]) => `${encodeQueryPart(name)}=${encodeQueryPart(value)}`)
    .join('&')
  return query ? `${request.path}?${query}` : request.path
}
