import { useRadar } from '../data/radar'
import { useMinute } from '../shell/time'
import { teamStatusText } from './radarWords'

/** The team's status line, for the row's accessible description too. */
export function useTeamStatus(teamId: string) {
  const radar = useRadar()
  const now = useMinute()
  const team = radar?.teams.find((candidate) => candidate.teamId === teamId)
  return team && radar ? teamStatusText(team, radar.paused, now) : null
}

/**
 * Under a team in the sidebar: when the background refresh last got through ("Updated 2 minutes
 * ago"), why the last one failed (the diagnosis, in full in its tooltip), or why nothing moves
 * ("Offline"). The row's description carries the same words for VoiceOver.
 */
export function TeamStatusLine(props: { teamId: string }) {
  const status = useTeamStatus(props.teamId)
  if (!status) return null
  return (
    <span
      className={`team-refresh${status.failed ? ' team-refresh-failed' : ''}`}
      title={status.detail ?? undefined}
      aria-hidden="true"
    >
      {status.text}
    </span>
  )
}
