import type { TeamSummary } from '../../shared/contract/teams'
import { dataDirOverride, defaultDataDir } from '../data-dir'
import type { Keys } from '../keys'
import { createKeys } from '../keys'
import type { Logger } from '../log'
import type { SecretStore } from '../secrets'
import { createKeyringSecretStore } from '../secrets'
import type { Environment } from './key-input'

/**
 * The keys saved in Ascent, for the command line: the same keychain items (service "Ascent") and
 * the same keys.json as the app, through the app's own keys module, so the rules are the app's.
 */

export interface SavedKeys {
  keys: Keys
  dataDir: string
  secrets: SecretStore
}

export function openSavedKeys(options: {
  env: Environment
  cwd: string
  now: () => number
  log: Logger
  /** Default: the keychain under the service "Ascent". Tests pass a private one. */
  secrets?: SecretStore
}): SavedKeys {
  const dataDir = dataDirOverride(options.env, defaultDataDir(options.env), options.cwd)
  const secrets = options.secrets ?? createKeyringSecretStore({ service: 'Ascent' })
  const keys = createKeys({
    secrets,
    // The command line never reads or writes the clipboard.
    clipboard: {
      readText: () => Promise.resolve(''),
      writeText: () => Promise.resolve(),
      clear: () => undefined,
    },
    now: options.now,
    dataDir,
    log: options.log,
  })
  return { keys, dataDir, secrets }
}

export type TeamMatch =
  | { kind: 'found'; team: TeamSummary }
  | { kind: 'none'; teams: TeamSummary[] }
  | { kind: 'ambiguous'; matches: TeamSummary[] }

/**
 * `--team`: a saved key by its name, key ID or team ID (any case); else by the start of its name
 * when only one name starts so. Two teams that match equally are never guessed between.
 */
export function matchTeam(teams: readonly TeamSummary[], query: string): TeamMatch {
  const wanted = query.trim().toLowerCase()
  const exact = teams.filter(
    (team) =>
      team.name.trim().toLowerCase() === wanted ||
      team.keyId.toLowerCase() === wanted ||
      team.id.toLowerCase() === wanted,
  )
  const candidates =
    exact.length > 0
      ? exact
      : teams.filter((team) => team.name.trim().toLowerCase().startsWith(wanted))
  if (candidates.length === 1 && candidates[0]) return { kind: 'found', team: candidates[0] }
  if (candidates.length > 1) return { kind: 'ambiguous', matches: candidates }
  return { kind: 'none', teams: [...teams] }
}

/** One line per team, for lists in messages: name, key ID, issuer ID or "individual". */
export function teamLine(team: TeamSummary): string {
  const owner = team.keyType === 'team' ? `issuer ${team.issuerId ?? '?'}` : 'individual key'
  return `${team.name}  (key ${team.keyId}, ${owner})`
}
