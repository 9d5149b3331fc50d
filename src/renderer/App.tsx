import { useState } from 'react'
import type { AppCommand } from '../shared/contract'
import { useTeams } from './data/teams'
import { Sheet } from './shell/Sheet'
import { useCommands } from './shell/useCommands'
import { Welcome } from './shell/Welcome'
import { TeamBrowser } from './teams/TeamBrowser'
import { TeamSidebar } from './teams/TeamSidebar'
import { Wizard } from './wizard/Wizard'

export function App() {
  const teams = useTeams()
  const [wizardOpen, setWizardOpen] = useState(false)
  const list = teams.state?.teams ?? []
  const activeTeam = list.find((team) => team.id === teams.activeTeamId) ?? null

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
        orphans={teams.state?.orphans}
        notices={teams.state?.notices}
        onChanged={teams.reload}
        onReplaceKey={() => setWizardOpen(true)}
      />
      <main className="content" aria-label="Content">
        {teams.error ? (
          <p role="alert" className="callout callout-error">
            {teams.error.message}
          </p>
        ) : teams.state && list.length === 0 ? (
          <Welcome onAddKey={() => setWizardOpen(true)} />
        ) : activeTeam ? (
          <TeamBrowser
            key={activeTeam.id}
            team={activeTeam}
            onReplaceKey={() => setWizardOpen(true)}
            onTeamStatusChanged={teams.reload}
          />
        ) : null}
      </main>
      {wizardOpen ? (
        <Sheet title="Add API Key" className="wizard-sheet" onClose={() => setWizardOpen(false)}>
          <Wizard
            onClose={() => setWizardOpen(false)}
            onSaved={(team) => {
              setWizardOpen(false)
              teams.reload()
              teams.activate(team.id)
            }}
          />
        </Sheet>
      ) : null}
    </div>
  )
}
