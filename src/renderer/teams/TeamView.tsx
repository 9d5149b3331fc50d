import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import { saveView, viewOf, type TeamViewState } from './viewState'

export interface TeamView {
  view: TeamViewState
  update: (change: Partial<TeamViewState>) => void
}

const TeamViewContext = createContext<TeamView | null>(null)

/**
 * What the user has open in a team (the app, the build, the search, the filters), for the panes
 * inside, restored when the user switches back to the team.
 */
export function TeamViewProvider(props: { teamId: string; children: ReactNode }) {
  const { teamId } = props
  const [view, setView] = useState<TeamViewState>(() => viewOf(teamId))
  useEffect(() => saveView(teamId, view), [teamId, view])
  const update = useCallback(
    (change: Partial<TeamViewState>) => setView((current) => ({ ...current, ...change })),
    [],
  )
  return (
    <TeamViewContext.Provider value={{ view, update }}>{props.children}</TeamViewContext.Provider>
  )
}

export function useTeamView(): TeamView {
  const context = useContext(TeamViewContext)
  if (!context) throw new Error('useTeamView needs a TeamViewProvider around it')
  return context
}
