import { randomUUID } from 'node:crypto'
import type { CheckReport } from '../../shared/contract/keys'
import type { TeamSummary } from '../../shared/contract/teams'
import { createKeyChecks, runKeyCheck } from '../diagnosis'
import { isAppError } from '../errors'
import { createTokenSigner } from '../tokens'
import type { AddCommand } from './args'
import type { CliContext } from './context'
import { EXIT_DIAGNOSIS, EXIT_OK, UsageError } from './context'
import { resolveKey } from './key-input'
import type { DoctorReport } from './report'
import { reportObject, reportText } from './report'

/**
 * `ascent add`: the wizard's live check, then the wizard's save, through the same modules (intake
 * draft, key checks, keys store). Nothing is saved unless Apple accepted the key.
 */
export async function addKey(command: AddCommand, context: CliContext): Promise<number> {
  const { io } = context
  const resolution = await resolveKey(command.key, context.env, context.cwd, { keepKey: true })
  if (!resolution.ok) throw new UsageError(resolution.usage, 'add')
  const { key } = resolution
  const { keys, dataDir, secrets } = context.savedKeys()
  const tokens = createTokenSigner({ loadKey: keys.loadSigningKey, now: context.now })
  const asc = context.checkClient(command, tokens, key.notes)

  const toReport = (
    report: Pick<CheckReport, 'diagnosis' | 'warnings' | 'steps' | 'role' | 'roleVerified'>,
  ): DoctorReport => ({
    diagnosis: report.diagnosis,
    warnings: report.warnings,
    steps: report.steps,
    key: {
      type: key.keyType,
      keyId: key.keyId,
      issuerId: key.keyType === 'team' ? key.issuerId : null,
      role: report.role,
      roleVerified: report.roleVerified,
    },
    apiBase: command.apiBase,
  })
  const print = (report: DoctorReport, saved: TeamSummary | null) => {
    io.stdout(
      command.json ? `${JSON.stringify({ ...reportObject(report), saved })}\n` : reportText(report),
    )
  }

  if (!key.parsed) {
    // The key was refused before anything could be sent: the check says why, as doctor does.
    const outcome = await runKeyCheck(
      { ...key, claimedRole: command.role },
      { asc, tokens, surface: 'cli' },
    )
    print(toReport({ ...outcome, role: null, roleVerified: false }), null)
    io.stderr('Nothing was saved.\n')
    return EXIT_DIAGNOSIS
  }

  await keys.savedTeams()
  const draft = keys.importParsed(key.parsed, key.source, key.fileName)
  if (draft.savedAs) {
    io.stderr(
      `ascent: This key is already saved as “${draft.savedAs.name}” (ascent teams lists it as ${draft.savedAs.teamId}). Nothing was added.\n`,
    )
    return EXIT_DIAGNOSIS
  }
  const checks = createKeyChecks({
    keys,
    asc,
    tokens,
    now: context.now,
    notify: () => undefined,
    surface: 'cli',
    via: 'cli',
  })
  const checkId = randomUUID()
  const report = await checks.check({
    checkId,
    draftId: draft.draftId,
    keyType: key.keyType,
    issuerId: key.issuerId,
    keyId: key.keyId,
    role: command.role,
  })
  const doctorReport = toReport(report)
  if (!report.canSave) {
    print(doctorReport, null)
    io.stderr('Nothing was saved: Apple did not accept the key.\n')
    return EXIT_DIAGNOSIS
  }

  let team: TeamSummary
  try {
    team = await checks.save({
      checkId,
      name: command.name ?? report.suggestedName ?? 'App Store Connect team',
    })
  } catch (error) {
    if (!isAppError(error)) throw error
    print(doctorReport, null)
    io.stderr(`ascent: ${error.message}\nNothing was saved.\n`)
    return EXIT_DIAGNOSIS
  }
  print(doctorReport, team)
  if (!command.json) {
    const blocked =
      team.status === 'blocked_agreements'
        ? ' It is marked blocked by agreements until a check passes (ascent doctor --team).'
        : ''
    io.stdout(
      `\nSaved as “${team.name}” (key ${team.keyId}): the private key in the ${secrets.backend}, the rest in ${dataDir}.${blocked}\n`,
    )
  }
  return EXIT_OK
}
