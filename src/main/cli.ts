/**
 * `ascent doctor` and `ascent token`: the command line face of Ascent's key check, for terminals
 * and CI. A thin layer over the app's own modules (intake parser, token signer, App Store Connect
 * client, diagnosis engine); it reads no keychain and never prints the private key.
 *
 *   process.exitCode = await main(process.argv.slice(2), process.env, standardIo)
 *
 * Built to out/main/cli.js (bin/ascent.js loads it); `npx tsx src/main/cli.ts` runs it unbuilt.
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { blockingProblem, checkIds } from '../shared/keys'
import { createAscClient } from './asc'
import type { DoctorCommand, TokenCommand } from './cli/args'
import { parseCommandLine, USAGE } from './cli/args'
import type { Environment, ResolvedKey } from './cli/key-input'
import { resolveKey } from './cli/key-input'
import type { DoctorReport } from './cli/report'
import { reportJson, reportText } from './cli/report'
import { runKeyCheck, tokenProblems } from './diagnosis'
import { AppError } from './errors'
import { redact } from './log'
import { APPLE_API_BASE } from './platform'
import type { SigningIdentity, TokenSigner } from './tokens'
import { createTokenSigner } from './tokens'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Default: the global fetch. */
  fetch?: typeof globalThis.fetch
  /** Default: Date.now. */
  now?: () => number
  /** Where relative file paths start; default: the process's working directory. */
  cwd?: string
}

export const standardIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}

export const EXIT_OK = 0
export const EXIT_DIAGNOSIS = 1
export const EXIT_USAGE = 2

/** Said for --role app-manager and --role developer: the check cannot tell them apart. */
const UNVERIFIABLE_ROLE =
  'only --role admin can be checked (an Admin key may list users). App Manager and Developer keys differ only in what they may write, and ascent doctor makes no writes, so this role is taken as given, not verified.'

export async function main(argv: readonly string[], env: Environment, io: CliIo): Promise<number> {
  const command = parseCommandLine(argv)
  try {
    switch (command.command) {
      case 'help':
        io.stdout(USAGE)
        return EXIT_OK
      case 'usage_error':
        return usage(io, command.message)
      case 'token':
        return await token(command, env, io)
      case 'doctor':
        return await doctor(command, env, io)
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    io.stderr(`ascent: ${redact(message)}\n`)
    return EXIT_DIAGNOSIS
  }
}

function usage(io: CliIo, message: string): number {
  // Usage errors quote what was typed, which could be a key pasted in the wrong place.
  io.stderr(`ascent: ${redact(message)}\n\n${USAGE}`)
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

async function doctor(command: DoctorCommand, env: Environment, io: CliIo): Promise<number> {
  const resolution = await resolveKey(command.key, env, io.cwd ?? process.cwd())
  if (!resolution.ok) return usage(io, resolution.usage)
  const { key } = resolution
  if (command.apiBase !== APPLE_API_BASE) {
    io.stderr(`Note: checking with ${command.apiBase}, not Apple’s API (${APPLE_API_BASE}).\n`)
  }
  for (const note of key.notes) io.stderr(`Note: ${note}\n`)

  const now = io.now ?? Date.now
  const tokens = signerFor(key, now)
  const asc = createAscClient({
    fetch: io.fetch ?? globalThis.fetch,
    baseUrl: command.apiBase,
    tokens,
    now,
    timeoutMs: command.timeoutMs,
  })
  const outcome = await runKeyCheck(
    {
      keyType: key.keyType,
      issuerId: key.issuerId,
      keyId: key.keyId,
      keyIdFromFileName: key.keyIdFromFileName,
      privateKey: key.privateKey,
      claimedRole: command.role,
      appId: command.appId,
    },
    { asc, tokens, surface: 'cli' },
  )
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

async function token(command: TokenCommand, env: Environment, io: CliIo): Promise<number> {
  const resolution = await resolveKey(command.key, env, io.cwd ?? process.cwd())
  if (!resolution.ok) return usage(io, resolution.usage)
  const { key } = resolution
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
  const signed = await signerFor(key, io.now ?? Date.now, command.lifetimeSeconds).token(
    identity,
    command.scope.length > 0 ? { scope: command.scope } : {},
  )
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
