import type { RadarPause, TeamRadar } from '../../shared/contract'
import { formatAgo } from '../builds/format'

const PAUSED: Record<RadarPause, string> = {
  offline: 'Offline',
  asleep: 'Paused while asleep',
  lowBattery: 'Paused: low battery',
  disabled: 'Background refresh off',
}

/** The line's text and its tone: what the radar last did for the team, or why it does nothing. */
export function teamStatusText(
  team: TeamRadar,
  paused: RadarPause | null,
  now: number,
): { text: string; failed: boolean; detail: string | null } | null {
  const updated = team.lastRefreshAt ? `Updated ${formatAgo(team.lastRefreshAt, now)}` : null
  if (paused) {
    return {
      text: updated ? `${PAUSED[paused]} · ${updated}` : PAUSED[paused],
      failed: false,
      detail: null,
    }
  }
  const failure = team.problem ?? (team.error ? { title: team.error.message, detail: '' } : null)
  if (failure) {
    return {
      text: `Refresh failed: ${failure.title}`,
      failed: true,
      detail: [
        failure.title,
        failure.detail,
        updated ? `Last good refresh: ${updated.toLowerCase()}.` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    }
  }
  if (team.refreshing && !updated) return { text: 'Refreshing…', failed: false, detail: null }
  return updated ? { text: updated, failed: false, detail: null } : null
}
