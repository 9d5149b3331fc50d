/**
 * Saved teams for browsing tests: sandbox keys saved through the real keys module (intake from a
 * fake clipboard, then `save`), into a data folder and secret store that a test, the browser
 * harness or the benchmark then opens. Only the sandbox's run-time keys are used.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TeamSummary } from '../../src/shared/contract/teams'
import { createKeys } from '../../src/main/keys'
import type { Keys } from '../../src/main/keys'
import { silentLogger } from '../../src/main/log'
import type { SecretStore } from '../../src/main/secrets'
import type { Sandbox, SandboxKey } from '../sandbox'
import { createMemoryClipboard, createMemorySecretStore } from './fakes'

export interface TeamPick {
  key: SandboxKey
  name: string
}

export interface SavedTeams {
  dataDir: string
  secrets: SecretStore
  teams: TeamSummary[]
  /** Deletes the data folder. */
  dispose: () => Promise<void>
}

/** Saves `key` as a team with `keys`, the way the wizard's save does after a passed check. */
export async function saveTeam(keys: Keys, pick: TeamPick): Promise<TeamSummary> {
  const outcome = await keys.importFromClipboard()
  if (outcome.status !== 'imported') throw new Error(`intake refused ${pick.key.keyId}`)
  return keys.save({
    draftId: outcome.draft.draftId,
    keyType: pick.key.type,
    issuerId: pick.key.issuerId,
    keyId: pick.key.keyId,
    name: pick.name,
    role: pick.key.role,
  })
}

/** Saves the picks, in order, into a fresh data folder and an in-memory secret store. */
export async function saveSandboxTeams(picks: TeamPick[]): Promise<SavedTeams> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ascent-browse-'))
  const secrets = createMemorySecretStore()
  const clipboard = createMemoryClipboard()
  const keys = createKeys({ secrets, clipboard, now: Date.now, dataDir, log: silentLogger })
  const teams: TeamSummary[] = []
  try {
    for (const pick of picks) {
      clipboard.text = pick.key.privateKeyPem
      teams.push(await saveTeam(keys, pick))
    }
  } finally {
    await keys.dispose()
  }
  return {
    dataDir,
    secrets,
    teams,
    // A team switch just before the end may still be writing keys.json: retry while it does.
    dispose: () => rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }),
  }
}

/** The three teams the browsing tests switch between. */
export function browsingPicks(sandbox: Sandbox): TeamPick[] {
  return [
    { key: sandbox.findKey({ team: 'northwind', role: 'ADMIN' }), name: 'Northwind Labs' },
    { key: sandbox.findKey({ team: 'fabrikam', role: 'DEVELOPER' }), name: 'Fabrikam CI' },
    { key: sandbox.findKey({ team: 'contoso' }), name: 'Contoso Games' },
  ]
}
