import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type {
  ExportAnswer,
  ExportDestination,
  ExportFormat,
  ExportOptions,
} from '../../shared/contract/key-life'
import type { TeamSummary } from '../../shared/contract/teams'
import { AppError } from '../errors'
import type { Keys, Via } from '../keys'
import type { Platform } from '../platform'
import type { SecretClipboard } from '../secret-clipboard'
import type { ExportedKey } from './formats'
import {
  ciSetup,
  clipboardContent,
  exportChoices,
  exportFileName,
  exportFolder,
  fileContent,
  ghCommandsAfterExport,
  pasteCommand,
} from './formats'
import type { ExportFs } from './write'
import { checkExportPath, writeExportFile } from './write'

/**
 * Export for CI: a saved key as fastlane's API key JSON, the AuthKey .p8, or the three CI
 * variables, to a file (0600, through the save dialog) or the clipboard (cleared after a minute if
 * unchanged). Main reads the keychain and writes; the renderer learns only that it was done, and
 * where. Every export lands in the team's history, without what was exported.
 *
 *   const exporter = createKeyExport({ keys, clipboard, dialog, userPresence, homeDir, now })
 *   await exporter.options(teamId)                        // what the sheet offers
 *   await exporter.export({ teamId, format, destination }) // the app: dialog, Touch ID, write
 *
 *   const files = createFileExport({ keys, now })             // ascent export: no window
 *   await files.toFile(teamId, format, path, { overwrite, via: 'cli' })
 */

export { exportFileName, fileContent, PRIVATE_KEYS_FOLDER, shellQuote } from './formats'
export type { ExportedKey } from './formats'
export { checkExportPath, writeExportFile } from './write'

/** How long a copied key stays on the clipboard. */
export const CLIPBOARD_SECONDS = 60

export interface FileExportOptions {
  keys: Pick<Keys, 'details' | 'withSecret' | 'recordHistory'>
  now(): number
  fs?: ExportFs
}

export interface KeyExportOptions
  extends FileExportOptions, Pick<Platform, 'dialog' | 'userPresence' | 'homeDir'> {
  clipboard: SecretClipboard
}

export interface KeyExport extends FileExport {
  options: (teamId: string) => Promise<ExportOptions>
  export: (request: {
    teamId: string
    format: ExportFormat
    destination: ExportDestination
  }) => Promise<ExportAnswer>
}

/** Exports without a window: to a path, or to a caller (the command line). */
export interface FileExport {
  /** Writes the export to `path`, with no dialog and no prompt; answers the path. */
  toFile: (
    teamId: string,
    format: ExportFormat,
    path: string,
    options: { overwrite: boolean; via: Via },
  ) => Promise<string>
  /** The export's bytes for `use` (the command line's stdout), zeroed after. */
  withContent: <T>(
    teamId: string,
    format: ExportFormat,
    use: (data: Buffer) => Promise<T> | T,
  ) => Promise<T>
}

const FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  fastlane: { name: 'fastlane API key (JSON)', extensions: ['json'] },
  p8: { name: 'App Store Connect API key (.p8)', extensions: ['p8'] },
  env: { name: 'CI variables (.env)', extensions: ['env'] },
}

export function createFileExport(options: FileExportOptions): FileExport {
  const { keys } = options
  const shared = exportSteps(options)
  return {
    async toFile(teamId, format, path, { overwrite, via }) {
      await shared.exportable(teamId)
      await checkExportPath(path, { overwrite, fs: options.fs })
      await shared.writeTo(teamId, format, path, overwrite)
      await shared.record(teamId, format, 'file', path, via)
      return path
    },

    async withContent(teamId, format, use) {
      await shared.exportable(teamId)
      const result = await keys.withSecret(teamId, async (pem, team) => {
        const data = fileContent(format, keyOf(team), pem)
        try {
          return await use(data)
        } finally {
          data.fill(0)
        }
      })
      await shared.record(teamId, format, 'stdout', null, 'cli')
      return result
    },
  }
}

function keyOf(team: TeamSummary): ExportedKey {
  return { keyType: team.keyType, keyId: team.keyId, issuerId: team.issuerId }
}

/** The steps the app's and the command line's exports share. */
function exportSteps(options: FileExportOptions) {
  const { keys } = options

  /** The team, if its key can be exported at all: refused before any dialog or prompt. */
  async function exportable(teamId: string): Promise<TeamSummary & { secretStore: string }> {
    const team = await keys.details(teamId)
    if (team.status === 'needs_reimport') {
      throw new AppError(
        'keys.secret_missing',
        `The private key of “${team.name}” is no longer in the ${team.secretStore}, so there is nothing to export. Import AuthKey_${team.keyId}.p8 again (Replace Key… → Re-import), then export.`,
      )
    }
    return team
  }

  function record(
    teamId: string,
    format: ExportFormat,
    to: 'file' | 'clipboard' | 'stdout',
    path: string | null,
    via: Via,
  ): Promise<void> {
    return keys.recordHistory(teamId, {
      kind: 'exported',
      at: new Date(options.now()).toISOString(),
      format,
      to,
      path,
      via,
    })
  }

  async function writeTo(
    teamId: string,
    format: ExportFormat,
    path: string,
    overwrite: boolean,
  ): Promise<void> {
    await keys.withSecret(teamId, async (pem, team) => {
      const data = fileContent(format, keyOf(team), pem)
      try {
        await writeExportFile(path, data, { overwrite, fs: options.fs })
      } finally {
        data.fill(0)
      }
    })
  }

  return { exportable, record, writeTo }
}

export function createKeyExport(options: KeyExportOptions): KeyExport {
  const { keys } = options
  const { exportable, record, writeTo } = exportSteps(options)

  async function confirmPresence(
    team: TeamSummary & { secretStore: string },
    format: ExportFormat,
  ): Promise<void> {
    const what = format === 'p8' ? `AuthKey_${team.keyId}.p8` : 'the private key'
    const answer = await options.userPresence.confirm(
      `export ${what} of “${team.name}” from the ${team.secretStore}`,
    )
    if (answer === 'refused') {
      throw new AppError(
        'export.not_confirmed',
        `The export was not confirmed, so the key stayed in the ${team.secretStore}. Nothing was exported.`,
      )
    }
  }

  return {
    ...createFileExport(options),

    async options(teamId) {
      const team = await keys.details(teamId)
      const key = keyOf(team)
      return {
        teamId: team.id,
        teamName: team.name,
        keyId: team.keyId,
        choices: exportChoices(key, team.name, options.homeDir, team.secretStore),
        ci: ciSetup(key),
        clipboardSeconds: CLIPBOARD_SECONDS,
      }
    },

    async export({ teamId, format, destination }) {
      const team = await exportable(teamId)
      const key = keyOf(team)
      if (destination === 'clipboard') {
        await confirmPresence(team, format)
        const clearsAt = await keys.withSecret(teamId, (pem) => {
          const data = clipboardContent(format, key, pem)
          try {
            return options.clipboard.place(data.toString('utf8'), CLIPBOARD_SECONDS * 1000)
          } finally {
            data.fill(0)
          }
        })
        await record(teamId, format, 'clipboard', null, 'app')
        return {
          status: 'copied',
          format,
          clearsAt: new Date(clearsAt).toISOString(),
          ghSecretCommands: ghCommandsAfterExport(format, key, { clipboard: pasteCommand() }),
        }
      }

      const folder = exportFolder(format, options.homeDir)
      // The conventional folder is offered even before it exists (altool looks there).
      if (format === 'p8')
        await mkdir(folder, { recursive: true, mode: 0o700 }).catch(() => undefined)
      const path = await options.dialog.chooseSavePath({
        title: `Export ${team.name}’s key`,
        defaultPath: join(folder, exportFileName(format, team.keyId)),
        filters: [FILTERS[format]],
      })
      if (path === null) return { status: 'canceled' }
      // Refused before the prompt and before the keychain is read.
      await checkExportPath(path, { fs: options.fs })
      await confirmPresence(team, format)
      await writeTo(teamId, format, path, false)
      await record(teamId, format, 'file', path, 'app')
      return {
        status: 'saved',
        format,
        path,
        ghSecretCommands: ghCommandsAfterExport(format, key, { path }),
      }
    },
  }
}
