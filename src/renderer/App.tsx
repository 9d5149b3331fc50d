import { useCallback, useState } from 'react'
import type { AppCommand, TeamSummary } from '../shared/contract'
import { useTeams } from './data/teams'
import { SettingsSheet } from './settings/SettingsSheet'
import { Sheet } from './shell/Sheet'
import { useCommands } from './shell/useCommands'
import { useSidebar } from './shell/useSidebar'
import { Welcome } from './shell/Welcome'
import { TeamBrowser } from './teams/TeamBrowser'
import { TeamSidebar } from './teams/TeamSidebar'
import { saveView, viewOf } from './teams/viewState'
import { DEFAULT_BUILD_FILTER } from './builds/model'
import { Wizard } from './wizard/Wizard'

export function App() {
  const teams = useTeams()
  /** Closed, open to add a key (null), or open to re-import a saved team's key. */
  const [wizard, setWizard] = useState<{ replacing: TeamSummary | null } | null>(null)
  const openWizard = (replacing: TeamSummary | null = null) => setWizard({ replacing })
  const closeWizard = () => setWizard(null)
  const list = teams.state?.teams ?? []
  const activeTeam = list.find((team) => team.id === teams.activeTeamId) ?? null
  /** The team the wizard just saved: its apps list takes focus once it is on screen. */
  const [focusAppsOf, setFocusAppsOf] = useState<string | null>(null)
  const appsFocused = useCallback(() => setFocusAppsOf(null), [])
  /** Counts the notifications opened: the team's panes open afresh on what one names. */
  const [opened, setOpened] = useState(0)

  /** The user picks a team: a saved team's pending focus is no longer wanted. */
  const selectTeam = (teamId: string) => {
    setFocusAppsOf(null)
    teams.activate(teamId)
  }

  const sidebar = useSidebar()
  const [settingsOpen, setSettingsOpen] = useState(false)

  useCommands((command: AppCommand) => {
    if (command.type === 'addKey') openWizard()
    if (command.type === 'toggleSidebar') sidebar.toggle()
    if (command.type === 'settings') setSettingsOpen(true)
    if (command.type === 'selectTeam') {
      const team = list[command.index]
      if (team) selectTeam(team.id)
    }
    if (command.type === 'open') {
      const team = list.find((candidate) => candidate.id === command.teamId)
      if (!team) return
      const view = viewOf(team.id)
      // What the notification names is shown whatever the search and filters were.
      saveView(team.id, {
        ...view,
        appId: command.appId ?? view.appId,
        buildId: command.appId ? command.buildId : view.buildId,
        query: '',
        attentionOnly: false,
        buildFilter: DEFAULT_BUILD_FILTER,
      })
      setOpened((count) => count + 1)
      selectTeam(team.id)
    }
  })

  return (
    <div className={sidebar.visible ? 'window' : 'window window-no-sidebar'}>
      <TeamSidebar
        teams={list}
        activeTeamId={teams.activeTeamId}
        onSelect={selectTeam}
        onAddKey={() => openWizard()}
        orphans={teams.state?.orphans}
        notices={teams.state?.notices}
        onReplaceKey={openWizard}
      />
      <main className="content" aria-label="Content">
        {teams.error ? (
          <p role="alert" className="callout callout-error">
            {teams.error.message}
          </p>
        ) : teams.state && list.length === 0 ? (
          <Welcome onAddKey={() => openWizard()} />
        ) : activeTeam ? (
          <TeamBrowser
            key={`${activeTeam.id}:${opened}`}
            team={activeTeam}
            onReplaceKey={openWizard}
            onTeamStatusChanged={teams.reload}
            focusApps={focusAppsOf === activeTeam.id}
            onAppsFocused={appsFocused}
            sidebarHidden={!sidebar.visible}
            onShowSidebar={sidebar.toggle}
          />
        ) : null}
      </main>
      {wizard ? (
        <Sheet
          title={wizard.replacing ? 'Re-import API Key' : 'Add API Key'}
          className="wizard-sheet"
          onClose={closeWizard}
        >
          <Wizard
            replacing={wizard.replacing}
            onClose={closeWizard}
            onSaved={(team) => {
              closeWizard()
              setFocusAppsOf(team.id)
              teams.reload()
              teams.activate(team.id)
            }}
          />
        </Sheet>
      ) : null}
      {settingsOpen ? <SettingsSheet onClose={() => setSettingsOpen(false)} /> : null}
    </div>
  )
}
