import type { AppSort } from '../apps/model'
import { DEFAULT_BUILD_FILTER, type BuildFilter } from '../builds/model'

/** What the user had open in a team, restored when they switch back. */
export interface TeamViewState {
  appId: string | null
  buildId: string | null
  query: string
  sort: AppSort
  attentionOnly: boolean
  buildFilter: BuildFilter
}

const views = new Map<string, TeamViewState>()

export function viewOf(teamId: string): TeamViewState {
  return (
    views.get(teamId) ?? {
      appId: null,
      buildId: null,
      query: '',
      sort: 'name',
      attentionOnly: false,
      buildFilter: DEFAULT_BUILD_FILTER,
    }
  )
}

export function saveView(teamId: string, view: TeamViewState): void {
  views.set(teamId, view)
}

export function forgetView(teamId: string): void {
  views.delete(teamId)
}
