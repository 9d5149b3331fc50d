/**
 * Every code an error can carry across Ascent: what main throws as an `AppError`, what an IPC
 * answer reports as `IpcError.code`, what intake refuses a key with, and what the preload and the
 * renderer make up themselves. Branch on these, never on a message.
 *
 * Adding a code is one line in its domain's group below. test/shared/errors.test.ts fails when
 * the source uses a code this list does not have.
 */
export const ERROR_CODES = [
  // The IPC layer, before any domain module runs (src/main/ipc.ts, src/preload/bridge.ts)
  'ipc.untrusted_sender',
  'ipc.unknown_channel',
  'ipc.invalid_request',
  'ipc.transport',
  'internal',

  // The keychain (src/main/secrets.ts)
  'keychain.unavailable',
  'keychain.locked',
  'keychain.denied',

  // Key intake: why a file, a drop or the clipboard was not taken (src/main/keys/refusals.ts)
  'intake.not_a_key',
  'intake.clipboard_empty',
  'intake.certificate',
  'intake.certificate_request',
  'intake.public_key',
  'intake.rsa_key',
  'intake.wrong_curve',
  'intake.unsupported_key',
  'intake.encrypted_key',
  'intake.sec1_unreadable',
  'intake.truncated',
  'intake.damaged',
  'intake.multiple_keys',
  'intake.fastlane_json_invalid',
  'intake.too_large',
  'intake.file_missing',
  'intake.file_unreadable',
  'intake.is_directory',
  'intake.not_a_file',
  'intake.wrong_file_type',
  'intake.not_on_disk',

  // A key's IDs, refused before anything is sent or saved (src/shared/keys.ts)
  'input.issuer_id_invalid',
  'input.key_id_invalid',
  'input.ids_swapped',
  'input.key_id_mismatch',

  // Saved keys and teams (src/main/keys)
  'keys.team_not_found',
  'keys.already_saved',
  'keys.name_invalid',
  'keys.draft_expired',
  'keys.replace_mismatch',
  'keys.orphan_not_found',
  'keys.orphan_invalid',
  'keys.secret_missing',
  'keys.secret_mismatch',
  'keys.unknown_key',
  'keys.not_p256',
  'keys.metadata_corrupt',
  'keys.metadata_unreadable',
  'keys.metadata_write_failed',
  'keys.foreign_items',
  'keys.metadata_busy',
  'keys.rotate_other_type',
  'keys.rotate_other_team',
  'keys.rotate_same_key',

  // The live key check and its save (src/main/diagnosis/checks.ts)
  'keys.check_unknown',
  'keys.check_running',
  'keys.check_failed',
  'keys.check_expired',
  'keys.check_stale',
  'keys.check_other_key',
  'keys.check_canceled',

  // Token signing (src/main/tokens.ts)
  'tokens.lifetime_invalid',
  'tokens.key_not_p256',
  'tokens.issuer_missing',
  'tokens.scope_invalid',

  // App Store Connect requests: `asc.<kind>` of a failed request (src/main/asc/errors.ts)
  'asc.http',
  'asc.network',
  'asc.bad_response',
  'asc.canceled',

  // Browsing (src/main/browse)
  'browse.canceled',

  // The cache on disk (src/main/disk-cache.ts): why it cannot be saved now
  'cache.disk_full',
  'cache.unwritable',
  'cache.write_failed',

  // Exporting a saved key for CI (src/main/export)
  'export.not_confirmed',
  'export.file_exists',
  'export.path_invalid',
  'export.folder_not_writable',
  'export.folder_missing',
  'export.write_failed',

  // The user's settings (src/main/settings.ts): a failed save, and why a file was reset
  'settings.write_failed',
  'settings.reset_corrupt',
  'settings.reset_newer',
  'settings.unreadable',

  // Links opened in the browser (src/main/links.ts)
  'link.not_allowed',

  // Context menus (src/main/context-menus.ts): no native menus here, or the item is gone
  'menu.unavailable',
  'menu.not_found',

  // The command line (src/main/cli.ts)
  'cli.no_key',

  // Checks the renderer makes before asking main (src/renderer)
  'renderer.name_empty',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** The codes of one domain: `CodesOf<'keychain'>` is `'keychain.locked' | …`. */
export type CodesOf<Domain extends string> = Extract<ErrorCode, `${Domain}.${string}`>

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES)

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN.has(value)
}
