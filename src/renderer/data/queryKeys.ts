/** Query keys: every query of the renderer is named here, so invalidation can find them. */
import type { ParamsInputOf, ResourceName } from '../../shared/contract'

export const BROWSE = 'browse'
export const USAGE = 'usage'
export const TEAMS = 'teams'
export const RADAR = 'radar'
export const KEY_LIFE = 'keyLife'

/** `['browse', teamId, resource, params]`: one entry per piece of data main serves. */
export function browseKey<R extends ResourceName>(
  teamId: string,
  resource: R,
  params: ParamsInputOf<R> | Record<string, never> = {},
) {
  return [BROWSE, teamId, resource, params] as const
}

/** Every browse query of a team (a removed team's data goes with it). */
export function teamBrowseKey(teamId: string) {
  return [BROWSE, teamId] as const
}

export function usageKey(teamId: string) {
  return [USAGE, teamId] as const
}

export const teamsKey = [TEAMS] as const

/** A saved key's details and export options; `['keyLife', teamId]` is all of a team's. */
export function keyLifeKey(teamId: string, what?: 'details' | 'exportOptions') {
  return what ? ([KEY_LIFE, teamId, what] as const) : ([KEY_LIFE, teamId] as const)
}

/** How every team stands in the background: one query, set by `radar:changed`. */
export const radarKey = [RADAR] as const

/** What main says about the app itself (`app:info`): it does not change while the app runs. */
export const appInfoKey = ['appInfo'] as const

/** The user's settings and any start-up notice about them (`settings:get`). */
export const settingsKey = ['settings'] as const
