/**
 * `ascent`: the command line face of Ascent, for terminals and CI. `doctor` and `token` work on a
 * key given by flags or the CI variables, or on a key saved in Ascent (`--team`); `teams`, `add`
 * and `export` work on the saved keys, the same keychain items and keys.json the app uses. A thin
 * layer over the app's own modules (intake parser, keys store, token signer, App Store Connect
 * client, diagnosis engine); it never prints a private key unless `export --out -` asks it to.
 *
 *   process.exitCode = await main(process.argv.slice(2), process.env, standardIo)
 *
 * Built to out/main/cli.js (bin/ascent.js loads it); `npx tsx src/main/cli.ts` runs it unbuilt.
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { version } from '../../package.json'
import type { Role } from '../shared/keys'
import { blockingProblem, checkIds, REIMPORT_CODES } from '../shared/keys'
import { addKey } from './cli/add'
import type { DoctorCommand, KeySource, TokenCommand } from './cli/args'
import { parseCommandLine } from './cli/args'
import type { CliIo } from './cli/context'
import { CliContext, EXIT_DIAGNOSIS, EXIT_OK, EXIT_USAGE, UsageError } from './cli/context'
import { exportKey } from './cli/export'
import type { CommandName } from './cli/help'
import { COMMAND_HELP, OVERVIEW } from './cli/help'
import type { Environment, ResolvedKey } from './cli/key-input'
import { resolveKey } from './cli/key-input'
import type { DoctorReport } from './cli/report'
import { reportJson, reportText } from './cli/report'
import { listTeams } from './cli/teams'
import type { PrivateKeyStatus } from './diagnosis'
import { runKeyCheck, savedKeyUnavailable, tokenProblems, verdictOf } from './diagnosis'
import { AppError, isAppError } from './errors'
import { redact } from './log'
import type { SigningIdentity, TokenSigner } from './tokens'
import { createTokenSigner } from './tokens'

export type { CliIo } from './cli/context'
export { EXIT_DIAGNOSIS, EXIT_OK, EXIT_USAGE } from './cli/context'

export const standardIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}

/** Said for --role app-manager and --role developer: the check cannot tell them apart. */
const UNVERIFIABLE_ROLE =
  'only --role admin can be checked (an Admin key may list users). App Manager and Developer keys differ only in what they may write, and ascent doctor makes no writes, so this role is taken as given, not verified.'

export async function main(argv: readonly string[], env: Environment, io: CliIo): Promise<number> {
  const command = parseCommandLine(argv)
  const context = new CliContext(env, io)
  try {
    switch (command.command) {
      case 'help':
        io.stdout(command.topic ? COMMAND_HELP[command.topic] : OVERVIEW)
        return EXIT_OK
      case 'version':
        io.stdout(`ascent ${version}\n`)
        return EXIT_OK
      case 'usage_error':
        return usage(io, command.message, command.topic)
      case 'token':
        return await token(command, context)
      case 'doctor':
        return await doctor(command, context)
      case 'teams':
        return await listTeams(command, context)
      case 'add':
        return await addKey(command, context)
      case 'export':
        return await exportKey(command, context)
    }
  } catch (error) {
    if (error instanceof UsageError) {
      return usage(io, error.message, error.topic, error.details)
    }
    const message = error instanceof Error ? error.message : String(error)
    io.stderr(`ascent: ${redact(message)}\n`)
    return EXIT_DIAGNOSIS
  } finally {
    await context.close()
  }
}

/** One line, then where the command's help is: never the whole usage. */
function usage(io: CliIo, message: string, topic: CommandName | null, details: string[] = []) {
  // Usage errors quote what was typed, which could be a key pasted in the wrong place.
  const lines = details.map((line) => `  ${redact(line)}\n`).join('')
  io.stderr(`ascent: ${redact(message)}\n${lines}See ascent help${topic ? ` ${topic}` : ''}.\n`)
  return EXIT_USAGE
}

function signerFor(key: ResolvedKey, now: () => number, lifetimeSeconds?: number): TokenSigner {
  const { signingKey } = key
  return createTokenSigner({
    now,
    lifetimeSeconds,
    loadKey: () =>
      signingKey
        ? Promise.resolve(signingKey)
        : Promise.reject(new AppError('cli.no_key', 'The private key could not be read.')),
  })
}

/** A key from flags, or a saved team's: who signs, and with what. */
interface KeyInHand {
  keyType: ResolvedKey['keyType']
  issuerId: string
  keyId: string
  keyIdFromFileName: string | null
  privateKey: PrivateKeyStatus
  notes: string[]
  /** Signs with this key; a saved key's is read from the keychain once. */
  signer: (lifetimeSeconds?: number) => TokenSigner
  /** The saved team, with `--team`. */
  teamId: string | null
  savedRole: Role | null
}

async function keyInHand(
  source: KeySource,
  context: CliContext,
  topic: CommandName,
): Promise<KeyInHand | { usage: string }> {
  if (source.kind === 'flags') {
    const resolution = await resolveKey(source.key, context.env, context.cwd)
    if (!resolution.ok) return { usage: resolution.usage }
    const { key } = resolution
    return {
      ...key,
      signer: (lifetimeSeconds) => signerFor(key, context.now, lifetimeSeconds),
      teamId: null,
      savedRole: null,
    }
  }
  const team = await context.team(source.team, topic)
  const { keys } = context.savedKeys()
  const identity = await keys.identityOf(team.id)
  let privateKey: PrivateKeyStatus = { ok: true, fingerprint: identity.fingerprint }
  try {
    await keys.loadSigningKey(identity)
  } catch (error) {
    // A key gone from the keychain is the finding; a locked keychain is an error to retry.
    if (!isAppError(error) || !REIMPORT_CODES.has(error.code)) throw error
    privateKey = { ok: false, diagnosis: savedKeyUnavailable(error.message, team.keyId) }
  }
  return {
    keyType: team.keyType,
    issuerId: team.issuerId ?? '',
    keyId: team.keyId,
    keyIdFromFileName: null,
    privateKey,
    notes: [],
    signer: (lifetimeSeconds) =>
      createTokenSigner({
        now: context.now,
        lifetimeSeconds,
        loadKey: (signing) => {
          keys.noteUsed(signing.fingerprint)
          return keys.loadSigningKey(signing)
        },
      }),
    teamId: team.id,
    savedRole: team.role,
  }
}

async function doctor(command: DoctorCommand, context: CliContext): Promise<number> {
  const { io } = context
  const key = await keyInHand(command.source, context, 'doctor')
  if ('usage' in key) return usage(io, key.usage, 'doctor')
  const claimedRole = command.role ?? key.savedRole
  const tokens = key.signer()
  const asc = context.checkClient(command, tokens, key.notes)
  const outcome = await runKeyCheck(
    {
      keyType: key.keyType,
      issuerId: key.issuerId,
      keyId: key.keyId,
      keyIdFromFileName: key.keyIdFromFileName,
      privateKey: key.privateKey,
      claimedRole,
      appId: command.appId,
    },
    { asc, tokens, surface: 'cli' },
  )
  if (key.teamId) {
    await context.savedKeys().keys.recordCheck(key.teamId, verdictOf(outcome, 'cli'))
  }
  let { diagnosis, warnings } = outcome
  const roleTakenAsGiven = command.role !== null && command.role !== 'ADMIN'
  if (key.keyType === 'team' && roleTakenAsGiven && !outcome.roleVerified) {
    io.stderr(`Note: ${UNVERIFIABLE_ROLE}\n`)
  }
  // With --role, a read the role should allow but the key may not do is the finding, not a note.
  const shortfall = command.role ? warnings.find((w) => w.code === 'access.forbidden') : undefined
  if (diagnosis.ok && shortfall) {
    diagnosis = shortfall
    warnings = warnings.filter((warning) => warning !== shortfall)
  }
  const report: DoctorReport = {
    diagnosis,
    warnings,
    steps: outcome.steps,
    key: {
      type: key.keyType,
      keyId: outcome.identity?.keyId ?? key.keyId,
      issuerId: key.keyType === 'team' ? (outcome.identity?.issuerId ?? key.issuerId) : null,
      role: outcome.role,
      roleVerified: outcome.roleVerified,
    },
    apiBase: command.apiBase,
  }
  io.stdout(command.json ? reportJson(report) : reportText(report))
  return diagnosis.ok ? EXIT_OK : EXIT_DIAGNOSIS
}

async function token(command: TokenCommand, context: CliContext): Promise<number> {
  const { io } = context
  const key = await keyInHand(command.source, context, 'token')
  if ('usage' in key) return usage(io, key.usage, 'token')
  for (const note of key.notes) io.stderr(`Note: ${note}\n`)
  if (!key.privateKey.ok) {
    const { diagnosis } = key.privateKey
    io.stderr(
      `ascent: ${diagnosis.detail}\n${diagnosis.hints.map((hint) => `  ${hint}\n`).join('')}`,
    )
    return EXIT_DIAGNOSIS
  }
  const ids = checkIds({
    keyType: key.keyType,
    issuerId: key.issuerId,
    keyId: key.keyId,
    keyIdFromFileName: key.keyIdFromFileName,
  })
  const blocking = blockingProblem(ids)
  if (blocking || !ids.keyId) {
    io.stderr(`ascent: ${blocking?.message ?? 'The key ID is missing.'}\n`)
    return EXIT_DIAGNOSIS
  }
  for (const problem of ids.problems) io.stderr(`Warning: ${problem.message}\n`)
  const identity: SigningIdentity = {
    keyType: key.keyType,
    keyId: ids.keyId,
    issuerId: key.keyType === 'team' ? ids.issuerId : null,
    fingerprint: key.privateKey.fingerprint,
  }
  const signed = await key
    .signer(command.lifetimeSeconds)
    .token(identity, command.scope.length > 0 ? { scope: command.scope } : {})
  const problems = tokenProblems(signed, identity)
  if (problems.length > 0) {
    io.stderr(`ascent: the token would be refused: ${problems.join('; ')}.\n`)
    return EXIT_DIAGNOSIS
  }
  io.stdout(`${signed}\n`)
  return EXIT_OK
}

function isEntryPoint(): boolean {
  const script = process.argv[1]
  if (!script) return false
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  void main(process.argv.slice(2), process.env, standardIo).then((code) => {
    process.exitCode = code
  })
}
