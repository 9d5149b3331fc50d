/**
 * The team-wide resources of the apps list: the apps, and what the rows show of each app beyond
 * its name (newest build, icon, needs-attention counts).
 */
import { z } from 'zod'
import type {
  AppActivity,
  AppRow,
  AppStoreState,
  StorePlatform,
  StoreVersion,
} from '../../shared/contract/apps'
import {
  APP_VERSION_STATES,
  appStoreVersionSchema,
  get,
  PAGE_LIMIT,
  PLATFORMS,
  requests,
  toOne,
} from '../asc'
import type { AscRequest, Included } from '../asc'
import { defineResource, type LoadContext } from './resource'
import { toActivity, toAppRow } from './rows'

/** The state of a version on the App Store now. */
const LIVE = 'READY_FOR_DISTRIBUTION'
/**
 * Every state but the one a version is left in when the next one is released: what is live and
 * what is on its way, never the app's history (which can run to hundreds of versions).
 */
const CURRENT_STATES = APP_VERSION_STATES.filter((state) => state !== 'REPLACED_WITH_NEW_VERSION')

export const storeVersionSchema = appStoreVersionSchema.extend({
  relationships: z.object({ build: toOne }).optional(),
})

/** A version's build, read only for its number. */
export const storeBuildSchema = z.object({
  type: z.literal('builds'),
  id: z.string(),
  attributes: z.object({ version: z.string() }),
})

export const appStoreRequests = {
  /** An app's live and in-flight App Store versions, each with its build's number. */
  versions: (appId: string) =>
    get(`/v1/apps/${encodeURIComponent(appId)}/appStoreVersions`, {
      'filter[appVersionState]': CURRENT_STATES,
      'fields[appStoreVersions]': [
        'platform',
        'versionString',
        'appVersionState',
        'createdDate',
        'build',
      ],
      include: ['build'],
      'fields[builds]': ['version'],
      limit: PAGE_LIMIT,
    }),
}

interface Dated extends StoreVersion {
  platform: string
  createdAt: number
}

function toStoreVersion(
  version: z.infer<typeof storeVersionSchema>,
  included: Included,
): Dated | null {
  const { attributes } = version
  if (!attributes.appVersionState) return null
  const build = included.read(storeBuildSchema, version.relationships?.build?.data)
  return {
    id: version.id,
    versionString: attributes.versionString,
    state: attributes.appVersionState,
    buildNumber: build?.attributes.version ?? null,
    platform: attributes.platform,
    createdAt: attributes.createdDate ? Date.parse(attributes.createdDate) : 0,
  }
}

/** Per platform, the newest live version, and the newest version after it not live yet. */
function toAppStoreState(appId: string, versions: readonly Dated[]): AppStoreState {
  const platforms: StorePlatform[] = []
  for (const platform of PLATFORMS) {
    const mine = versions
      .filter((version) => version.platform === platform)
      .sort((a, b) => b.createdAt - a.createdAt)
    const live = mine.find((version) => version.state === LIVE) ?? null
    const next =
      mine.find(
        (version) => version.state !== LIVE && (!live || version.createdAt > live.createdAt),
      ) ?? null
    if (live || next) platforms.push({ platform, live: brief(live), next: brief(next) })
  }
  return { appId, platforms }
}

function brief(version: Dated | null): StoreVersion | null {
  if (!version) return null
  const { id, versionString, state, buildNumber } = version
  return { id, versionString, state, buildNumber }
}

/** The requests the activity may make for an app; an app's first builds screen is among them. */
function activityRequests(appId: string): AscRequest[] {
  return [requests.currentBuilds(appId), requests.builds(appId)]
}

/** An app's builds still in TestFlight or, when it has none, its newest build. */
async function activityOf(context: LoadContext<unknown>, appId: string): Promise<AppActivity> {
  const { client } = context
  const current = await client.listCurrentBuilds(
    appId,
    context.call(requests.currentBuilds(appId), { background: true }),
  )
  if (current.length > 0) return toActivity(appId, current, context.now())
  const newest = await client.listBuilds(appId, {
    ...context.call(requests.builds(appId), { background: true }),
    limit: 1,
  })
  return toActivity(appId, newest.builds, context.now())
}

/**
 * A team's apps as main keeps them: the first page alone at first (it paints after one request),
 * then all of them (Apple gives 200 a page).
 */
export interface StoredApps {
  rows: AppRow[]
  complete: boolean
  /** Where Apple's next page starts; stays in main, and never goes to disk (it may not last). */
  next: string | null
}

type AppsContext = LoadContext<StoredApps>

async function firstApps(context: AppsContext): Promise<StoredApps> {
  const page = await context.client.appsPage(null, context.call(requests.apps()))
  return {
    rows: page.apps.map(toAppRow),
    complete: page.next === null,
    next: page.next?.href ?? null,
  }
}

async function allApps(context: AppsContext): Promise<StoredApps> {
  const apps = await context.client.listApps(context.call(requests.apps()))
  return { rows: apps.map(toAppRow), complete: true, next: null }
}

/** The pages after the first, from its cursor; without one, every page again. */
async function restOfApps(context: AppsContext): Promise<StoredApps> {
  const loaded = context.stored()
  if (!loaded?.next) return allApps(context)
  const call = context.call(requests.apps())
  const rows = [...loaded.rows]
  let next: URL | null = new URL(loaded.next)
  while (next) {
    const page = await context.client.appsPage(next, call)
    rows.push(...page.apps.map(toAppRow))
    next = page.next
  }
  const latest = context.stored() ?? loaded
  // A refresh stored meanwhile: it is as new as this, or newer.
  if (latest.complete || latest.next !== loaded.next) return latest
  const unique = new Map(rows.map((row) => [row.id, row]))
  return { rows: [...unique.values()], complete: true, next: null }
}

export const appsResources = {
  apps: defineResource('apps', {
    key: () => 'apps',
    pinned: true,
    cost: (_params, stored: StoredApps | undefined) =>
      Math.max(1, Math.ceil((stored?.rows.length ?? 0) / PAGE_LIMIT)),
    /** A refresh reads every page; a first load only the first, and the rest behind it. */
    load: (context, _params, stored) => (stored?.complete ? allApps(context) : firstApps(context)),
    extend: {
      background: true,
      needs: (stored) => (stored.complete ? null : 'rest'),
      load: (context) => restOfApps(context),
    },
    persist: (stored) => ({ ...stored, next: null }),
    view: (stored) => stored.rows,
  }),

  activity: defineResource('activity', {
    key: () => 'activity',
    pinned: true,
    cost: (_params, stored) => (stored?.length ?? 0) + 1,
    /**
     * Every app's activity, in the background lane (it leaves the user's requests free slots); an
     * app that fails keeps what was known of it.
     */
    load: async (context, _params, stored) => {
      const apps = await context.need('apps', {})
      context.shareScopes(apps.flatMap((app) => activityRequests(app.id)))
      const known = new Map(stored?.map((item) => [item.appId, item]))
      const found = await Promise.all(
        apps.map(async (app) => {
          try {
            return await activityOf(context, app.id)
          } catch (error) {
            context.partFailed(error, app.id)
            return known.get(app.id) ?? null
          }
        }),
      )
      return found.filter((item): item is AppActivity => item !== null)
    },
  }),

  appStore: defineResource('appStore', {
    key: () => 'appStore',
    pinned: true,
    cost: (_params, stored) => Math.max(1, stored?.length ?? 0),
    /** Every app's, in the background lane; an app that fails keeps what was known of it. */
    load: async (context, _params, stored) => {
      const apps = await context.need('apps', {})
      context.shareScopes(apps.map((app) => appStoreRequests.versions(app.id)))
      const known = new Map(stored?.map((item) => [item.appId, item]))
      const found = await Promise.all(
        apps.map(async (app) => {
          const request = appStoreRequests.versions(app.id)
          try {
            const versions = await context.client.collection(
              request,
              storeVersionSchema,
              toStoreVersion,
              context.call(request, { background: true }),
            )
            const current = versions.items.filter((version): version is Dated => version !== null)
            return toAppStoreState(app.id, current)
          } catch (error) {
            context.partFailed(error, app.id)
            return known.get(app.id) ?? null
          }
        }),
      )
      return found.filter((item): item is AppStoreState => item !== null)
    },
  }),
}
