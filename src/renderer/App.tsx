import { useState } from 'react'
import type { AppCommand } from '../shared/contract'
import { useTeams } from './data/teams'
import { useCommands } from './shell/useCommands'
import { Welcome } from './shell/Welcome'
import { TeamSidebar } from './teams/TeamSidebar'

export function App() {
  const teams = useTeams()
  const [, setWizardOpen] = useState(false)
  const list = teams.state?.teams ?? []

  useCommands((command: AppCommand) => {
    if (command.type === 'addKey') setWizardOpen(true)
    if (command.type === 'selectTeam') {
      const team = list[command.index]
      if (team) teams.activate(team.id)
    }
  })

  return (
    <div className="window">
      <TeamSidebar
        teams={list}
        activeTeamId={teams.activeTeamId}
        onSelect={teams.activate}
        onAddKey={() => setWizardOpen(true)}
      />
      <main className="content" aria-label="Content">
        {teams.error ? (
          <p role="alert" className="callout callout-error">
            {teams.error.message}
          </p>
        ) : teams.state && list.length === 0 ? (
          <Welcome onAddKey={() => setWizardOpen(true)} />
        ) : null}
      </main>
    </div>
  )
}
