import { Plus } from 'lucide-react'
import type { TeamSummary } from '../../shared/contract'
import { STATUS_LABELS, teamBadge, teamHue, teamMonogram } from './identity'

export interface TeamSidebarProps {
  teams: TeamSummary[]
  activeTeamId: string | null
  onSelect: (teamId: string) => void
  onAddKey: () => void
}

export function TeamSidebar(props: TeamSidebarProps) {
  return (
    <nav className="sidebar" aria-label="Teams">
      <div className="sidebar-drag" />
      <h2 className="sidebar-heading" id="teams-heading">
        Teams
      </h2>
      {props.teams.length === 0 ? (
        <p className="sidebar-empty">No keys yet</p>
      ) : (
        <ul className="team-list" aria-labelledby="teams-heading">
          {props.teams.map((team, index) => (
            <li key={team.id}>
              <TeamRow
                team={team}
                shortcut={index < 9 ? index + 1 : null}
                active={team.id === props.activeTeamId}
                onSelect={() => props.onSelect(team.id)}
              />
            </li>
          ))}
        </ul>
      )}
      <div className="sidebar-footer">
        <button type="button" className="button-plain" onClick={props.onAddKey}>
          <Plus size={14} aria-hidden="true" /> Add Key…
        </button>
      </div>
    </nav>
  )
}

function TeamRow(props: {
  team: TeamSummary
  shortcut: number | null
  active: boolean
  onSelect: () => void
}) {
  const { team } = props
  const status = STATUS_LABELS[team.status]
  return (
    <button
      type="button"
      className="team-row"
      aria-current={props.active ? 'page' : undefined}
      aria-keyshortcuts={props.shortcut ? `Meta+${props.shortcut}` : undefined}
      onClick={props.onSelect}
      title={team.statusDetail ?? status}
    >
      <span
        className="monogram"
        aria-hidden="true"
        style={{ '--hue': teamHue(team) } as React.CSSProperties}
      >
        {teamMonogram(team.name)}
      </span>
      <span className="team-text">
        <span className="team-name">{team.name}</span>
        <span className="team-badge">{teamBadge(team)}</span>
      </span>
      <span className={`status-dot status-${team.status}`} role="img" aria-label={status} />
    </button>
  )
}
