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
import type { WizardMode } from './wizard/model'
import { Wizard } from './wizard/Wizard'

const WIZARD_TITLES: Record<WizardMode['kind'], string> = {
  add: 'Add API Key',
  reimport: 'Re-import API Key',
  rotate: 'Replace API Key',
}

export function App() {
  const teams = useTeams()
  /** Closed, or open to add a key, re-import a saved team's key, or replace it with a new one. */
  const [wizard, setWizard] = useState<WizardMode | null>(null)
  const openWizard = () => setWizard({ kind: 'add' })
  const reimportKey = (team: TeamSummary) => setWizard({ kind: 'reimport', team })
  const rotateKey = (team: TeamSummary) => setWizard({ kind: 'rotate', team })
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
        onAddKey={openWizard}
        orphans={teams.state?.orphans}
        notices={teams.state?.notices}
        onReplaceKey={reimportKey}
        onRotateKey={rotateKey}
      />
      <main className="content" aria-label="Content">
        {teams.error ? (
          <p role="alert" className="callout callout-error">
            {teams.error.message}
          </p>
        ) : teams.state && list.length === 0 ? (
          <Welcome onAddKey={openWizard} />
        ) : activeTeam ? (
          <TeamBrowser
            key={`${activeTeam.id}:${opened}`}
            team={activeTeam}
            onReplaceKey={reimportKey}
            onTeamStatusChanged={teams.reload}
            focusApps={focusAppsOf === activeTeam.id}
            onAppsFocused={appsFocused}
            sidebarHidden={!sidebar.visible}
            onShowSidebar={sidebar.toggle}
          />
        ) : null}
      </main>
      {wizard ? (
        <Sheet title={WIZARD_TITLES[wizard.kind]} className="wizard-sheet" onClose={closeWizard}>
          <Wizard
            mode={wizard}
            onClose={closeWizard}
            onOpenTeam={(teamId) => {
              closeWizard()
              selectTeam(teamId)
            }}
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
