import type { TeamSummary } from '../../shared/contract/teams'
import { createAscClient, type AscClient } from '../asc'
import { silentLogger } from '../log'
import { APPLE_API_BASE } from '../platform'
import type { SecretStore } from '../secrets'
import type { TokenSigner } from '../tokens'
import type { CommandName } from './help'
import type { Environment } from './key-input'
import type { SavedKeys } from './saved'
import { matchTeam, openSavedKeys, teamLine } from './saved'

/** What every command shares: the I/O, the clock, the saved keys, and how a usage error ends. */

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Default: the global fetch. */
  fetch?: typeof globalThis.fetch
  /** Default: Date.now. */
  now?: () => number
  /** Where relative file paths start; default: the process's working directory. */
  cwd?: string
  /** Where saved keys' secrets are; default: the keychain, service "Ascent". */
  secrets?: SecretStore
}

export const EXIT_OK = 0
export const EXIT_DIAGNOSIS = 1
export const EXIT_USAGE = 2

/** A usage error found after parsing, e.g. a --team that names no saved key. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly topic: CommandName,
    /** Lines to print after the message (the teams a --team could mean). */
    readonly details: string[] = [],
  ) {
    super(message)
    this.name = 'UsageError'
  }
}

/** What every command shares: the I/O, the clock, and the saved keys when one is needed. */
export class CliContext {
  private saved: SavedKeys | null = null

  constructor(
    readonly env: Environment,
    readonly io: CliIo,
  ) {}

  get now(): () => number {
    return this.io.now ?? Date.now
  }

  get cwd(): string {
    return this.io.cwd ?? process.cwd()
  }

  get fetch(): typeof globalThis.fetch {
    return this.io.fetch ?? globalThis.fetch
  }

  savedKeys(): SavedKeys {
    this.saved ??= openSavedKeys({
      env: this.env,
      cwd: this.cwd,
      now: this.now,
      log: silentLogger,
      secrets: this.io.secrets,
    })
    return this.saved
  }

  /**
   * A client for a command's live check, after saying on stderr what the user should know first:
   * that the API is not Apple's, and the notes on the key in hand.
   */
  checkClient(
    command: { apiBase: string; timeoutMs: number },
    tokens: TokenSigner,
    keyNotes: string[],
  ): AscClient {
    if (command.apiBase !== APPLE_API_BASE) {
      this.io.stderr(`Note: this is not Apple’s API (${APPLE_API_BASE}).\n`)
    }
    for (const note of keyNotes) this.io.stderr(`Note: ${note}\n`)
    return createAscClient({
      fetch: this.fetch,
      baseUrl: command.apiBase,
      tokens,
      now: this.now,
      timeoutMs: command.timeoutMs,
    })
  }

  /** The saved team `--team` names; a usage error when it names none, or more than one. */
  async team(query: string, topic: CommandName): Promise<TeamSummary> {
    const saved = this.savedKeys()
    const { teams } = await saved.keys.savedTeams()
    const match = matchTeam(teams, query)
    if (match.kind === 'found') return match.team
    if (match.kind === 'ambiguous') {
      throw new UsageError(
        `--team "${query}" matches ${match.matches.length} saved keys; name one by its key ID:`,
        topic,
        match.matches.map(teamLine),
      )
    }
    throw new UsageError(
      teams.length === 0
        ? `--team "${query}": no keys are saved in ${saved.dataDir}. Add one with ascent add.`
        : `--team "${query}" names no saved key. The saved keys:`,
      topic,
      match.teams.map(teamLine),
    )
  }

  /** Waits for what the saved keys still write (last use, history) before the process ends. */
  async close(): Promise<void> {
    if (!this.saved) return
    await this.saved.keys.dispose()
  }
}
