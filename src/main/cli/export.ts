import { resolve } from 'node:path'
import { createFileExport, exportFileName, shellQuote } from '../export'
import { isAppError } from '../errors'
import type { ExportCommand } from './args'
import type { CliContext } from './context'
import { EXIT_DIAGNOSIS, EXIT_OK } from './context'

/**
 * `ascent export`: a saved key to a file only the user can read (0600), never over an existing
 * file without --force, and to stdout only with `--out -`.
 */
export async function exportKey(command: ExportCommand, context: CliContext): Promise<number> {
  const { io } = context
  const team = await context.team(command.team, 'export')
  const { keys } = context.savedKeys()
  const files = createFileExport({ keys, now: context.now })

  if (command.out === '-') {
    await files.withContent(team.id, command.format, (data) => {
      io.stdout(data.toString('utf8'))
    })
    return EXIT_OK
  }

  const path = resolve(context.cwd, command.out ?? exportFileName(command.format, team.keyId))
  try {
    await files.toFile(team.id, command.format, path, { overwrite: command.force, via: 'cli' })
  } catch (error) {
    if (!isAppError(error)) throw error
    io.stderr(
      error.code === 'export.file_exists'
        ? `ascent: ${path} already exists, so nothing was exported. Pass --force to replace it, or choose another --out.\n`
        : `ascent: ${error.message}\n`,
    )
    return EXIT_DIAGNOSIS
  }
  io.stderr(`Wrote the key of “${team.name}” (${team.keyId}) to ${path}, readable only by you.\n`)
  if (command.format === 'env') {
    io.stderr(`Store it in GitHub: gh secret set --env-file ${shellQuote(path)}\n`)
  }
  io.stdout(`${path}\n`)
  return EXIT_OK
}
