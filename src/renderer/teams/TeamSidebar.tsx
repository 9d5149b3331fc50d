import type { TeamSummary } from '../../shared/contract/teams'

export function TeamSidebar(props: { teams: TeamSummary[]; activeTeamId: string | null }) {
  return (
    <nav className="sidebar" aria-label="Teams">
      <div className="sidebar-drag" />
      <h2 className="sidebar-heading">Teams</h2>
      {props.teams.length === 0 ? (
        <p className="sidebar-empty">No keys yet</p>
      ) : (
        <ul className="team-list">
          {props.teams.map((team) => (
            <li key={team.id} aria-current={team.id === props.activeTeamId ? 'true' : undefined}>
              {team.name}
            </li>
          ))}
        </ul>
      )}
    </nav>
  )
}
