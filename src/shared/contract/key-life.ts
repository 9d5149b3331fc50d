import { z } from 'zod'
import type { DiagnosisCode } from '../diagnosis'
import { operation } from './define'
import type { TeamSummary } from './teams'

/**
 * A saved key's life after the wizard: its details and history, rotation to a new key, export
 * for CI, and short-lived tokens for curl. Every answer is what the screen shows; none carries a
 * private key or a token (exports and tokens go to a file or the clipboard, written by main).
 */

export type ExportFormat = 'fastlane' | 'p8' | 'env'
export type ExportDestination = 'file' | 'clipboard'
export type TokenPreset = 'apps' | 'builds' | 'testflight'

/** One event in a team's history, as kept in keys.json (bounded, never a secret). */
export type TeamHistoryEntry =
  | { kind: 'added'; at: string; via: 'app' | 'cli' | 'keychain' }
  | { kind: 'reimported'; at: string }
  | { kind: 'rotated'; at: string; fromKeyId: string; toKeyId: string }
  | {
      kind: 'exported'
      at: string
      format: ExportFormat
      to: 'file' | 'clipboard' | 'stdout'
      /** The file written; null for the clipboard and stdout. */
      path: string | null
      via: 'app' | 'cli'
    }
  | { kind: 'checked'; at: string; code: DiagnosisCode; ok: boolean; via: 'app' | 'cli' }

/** A history entry with its sentence, e.g. "Rotated from 2X9R4HXF34 to 9KQ2M7ZP1B". */
export type TeamHistoryItem = TeamHistoryEntry & { summary: string }

/** Team details (⌘I): everything about a saved key except its secret. */
export interface TeamDetails extends TeamSummary {
  /** SHA-256 of the public key (SPKI DER), lower-case hex. */
  fingerprint: string
  /** When the key last signed a request for Ascent (the app or the command line). */
  lastUsedAt: string | null
  /** Newest first; at most 50 entries. */
  history: TeamHistoryItem[]
  /** Where the secret is kept, e.g. `macOS Keychain`. */
  secretStore: string
  /** The keychain item's account under the service `Ascent` (IDs only). */
  keychainAccount: string
  /** Users and Access → Integrations → App Store Connect API (on main's link allow-list). */
  integrationsUrl: string
}

/** What to tell the user after a rotation: Apple's API cannot revoke keys, so they must. */
export interface RevokeReminder {
  keyId: string
  /** The page where the old key is revoked (on main's link allow-list). */
  url: string
  /** The clicks there, in order. */
  steps: string[]
}

export interface RotationAnswer {
  /** The team, now on its new key: same ID, name, cache and history. */
  team: TeamSummary
  previousKeyId: string
  /**
   * False when the old keychain item could not be deleted (the team already uses the new key);
   * the old item is then offered back as a key without a team, never deleted silently.
   */
  previousItemRemoved: boolean
  revoke: RevokeReminder
}

export interface ExportChoice {
  format: ExportFormat
  title: string
  /** What the format is for, in one line. */
  purpose: string
  /** The file name Save… proposes. */
  fileName: string
  /** The folder Save… opens in. */
  folder: string
  /** For the confirmation: what leaves the keychain. */
  leaves: string
  /** What Copy puts on the clipboard. */
  copies: string
}

export interface CiVariable {
  name: 'ASC_ISSUER_ID' | 'ASC_KEY_ID' | 'ASC_KEY_P8_BASE64'
  /** The value for the public IDs; null for the secret one (exported by Save… or Copy). */
  value: string | null
  secret: boolean
}

export interface CiSetup {
  variables: CiVariable[]
  /** A GitHub Actions job using the three repository secrets; names only, no secret. */
  githubActions: string
  /** `gh secret set` commands for the IDs; the key's own command comes with the export. */
  ghSecretCommands: string[]
}

export interface ExportOptions {
  teamId: string
  teamName: string
  keyId: string
  choices: ExportChoice[]
  ci: CiSetup
  /** How long a copied value stays on the clipboard (cleared then if unchanged). */
  clipboardSeconds: number
}

export type ExportAnswer =
  | { status: 'canceled' }
  | {
      status: 'saved'
      format: ExportFormat
      /** The file written, 0600. */
      path: string
      /** For `env`: the command that stores the three secrets from the file. */
      ghSecretCommands: string[]
    }
  | {
      status: 'copied'
      format: ExportFormat
      /** When the clipboard is cleared, if it still holds the value. */
      clearsAt: string
      /** For `env`: the commands that store the secrets, the key's from the clipboard. */
      ghSecretCommands: string[]
    }

export interface TokenCopyAnswer {
  teamId: string
  /** The requests the token allows (read-only). */
  scope: string[]
  expiresAt: string
  /** The clipboard is cleared then, if it still holds the token. */
  clearsAt: string
  /** A curl command for the first request that reads the token from the clipboard: no token. */
  curl: string
}

const teamId = z.string().min(1).max(100)
const checkId = z.string().min(1).max(100)

export const TOKEN_MAX_LIFETIME_SECONDS = 1200
export const TOKEN_MIN_LIFETIME_SECONDS = 61

export const keyLifeOperations = {
  /** The team's IDs, fingerprint, dates and history. */
  'teams:details': operation<TeamDetails>()(z.object({ teamId }).strict()),
  /** Replace Key: saves the key a passed check verified as the team's new key (same team). */
  'keys:rotate': operation<RotationAnswer>()(z.object({ checkId, teamId }).strict()),
  /** What Export Key… offers for this team: formats, file names, the CI snippet. */
  'teams:exportOptions': operation<ExportOptions>()(z.object({ teamId }).strict()),
  /**
   * Exports the team's key: main asks for the user's presence (Touch ID), shows the save dialog
   * and writes the file (0600), or puts the value on the clipboard and clears it after a minute.
   */
  'teams:export': operation<ExportAnswer>()(
    z
      .object({
        teamId,
        format: z.enum(['fastlane', 'p8', 'env']),
        destination: z.enum(['file', 'clipboard']),
      })
      .strict(),
  ),
  /** A read-only token for curl, on the clipboard until it expires. */
  'teams:copyToken': operation<TokenCopyAnswer>()(
    z
      .object({
        teamId,
        presets: z
          .array(z.enum(['apps', 'builds', 'testflight']))
          .min(1)
          .max(3),
        lifetimeSeconds: z
          .number()
          .int()
          .min(TOKEN_MIN_LIFETIME_SECONDS)
          .max(TOKEN_MAX_LIFETIME_SECONDS)
          .default(TOKEN_MAX_LIFETIME_SECONDS),
      })
      .strict(),
  ),
}
