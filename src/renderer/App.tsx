import { useEffect } from 'react'
import { ascent } from './data/bridge'
import { useQuery } from './data/useQuery'
import { Welcome } from './shell/Welcome'
import { TeamSidebar } from './teams/TeamSidebar'

export function App() {
  const teams = useQuery('teams', () => ascent.teams.list())

  useEffect(() => ascent.app.onCommand(() => undefined), [])

  const state = teams.data
  return (
    <div className="window">
      <TeamSidebar teams={state?.teams ?? []} activeTeamId={state?.activeTeamId ?? null} />
      <main className="content" aria-label="Content">
        {teams.error ? (
          <p role="alert" className="callout callout-error">
            {teams.error.message}
          </p>
        ) : state && state.teams.length === 0 ? (
          <Welcome />
        ) : null}
      </main>
    </div>
  )
}
