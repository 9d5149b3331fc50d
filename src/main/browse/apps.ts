/**
 * The team-wide resources of the apps list: the apps, and what the rows show of each app beyond
 * its name (newest build, icon, needs-attention counts).
 */
import type { AppActivity } from '../../shared/contract/apps'
import { requests } from '../asc'
import type { AscRequest } from '../asc'
import { defineResource, type LoadContext } from './resource'
import { toActivity, toAppRow } from './rows'

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

export const appsResources = {
  apps: defineResource('apps', {
    key: () => 'apps',
    cost: () => 1,
    load: async (context) => {
      const apps = await context.client.listApps(context.call(requests.apps()))
      return apps.map(toAppRow)
    },
  }),

  activity: defineResource('activity', {
    key: () => 'activity',
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
}
