import type { TeamSummary } from '../../shared/contract/teams'
import { ROLE_LABELS } from '../../shared/keys'
import type { TeamsCommand } from './args'
import type { CliContext } from './context'
import { EXIT_OK } from './context'

/** `ascent teams`: the keys saved in Ascent, from keys.json (the keychain is not listed). */
export async function listTeams(command: TeamsCommand, context: CliContext): Promise<number> {
  const { keys, dataDir } = context.savedKeys()
  const { teams, activeTeamId } = await keys.savedTeams()
  const active = activeTeamId ?? teams[0]?.id ?? null
  if (command.json) {
    const rows = teams.map((team) => ({ ...team, active: team.id === active }))
    context.io.stdout(`${JSON.stringify({ dataDir, teams: rows })}\n`)
    return EXIT_OK
  }
  if (teams.length === 0) {
    context.io.stdout(
      `No keys are saved in ${dataDir}.\nAdd one: ascent add --issuer-id UUID --p8 AuthKey_KEYID.p8\n`,
    )
    return EXIT_OK
  }
  const rows = teams.map((team) => [
    `${team.id === active ? '*' : ' '} ${team.name}`,
    team.keyType === 'team' ? 'team' : 'individual',
    team.keyId,
    team.issuerId ?? '—',
    roleText(team),
    STATUS_WORDS[team.status],
    team.lastValidatedAt ? shortTime(team.lastValidatedAt) : 'never',
  ])
  const header = ['  NAME', 'TYPE', 'KEY ID', 'ISSUER ID', 'ROLE', 'STATUS', 'LAST VALIDATED']
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()
  context.io.stdout(`${[line(header), ...rows.map(line)].join('\n')}\n`)
  return EXIT_OK
}

const STATUS_WORDS: Record<TeamSummary['status'], string> = {
  verified: 'verified',
  unchecked: 'not checked',
  needs_reimport: 'needs re-import',
  rejected: 'rejected by Apple',
  blocked_agreements: 'blocked by agreements',
}

function roleText(team: TeamSummary): string {
  if (team.keyType === 'individual') return '—'
  if (!team.role) return 'unknown'
  return `${ROLE_LABELS[team.role]} (${team.roleVerified ? 'confirmed' : 'as said'})`
}

/** `2026-05-01T12:00:00.000Z` → `2026-05-01 12:00 UTC`. */
function shortTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}
