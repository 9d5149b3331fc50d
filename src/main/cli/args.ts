import { parseArgs } from 'node:util'
import type { ExportFormat } from '../../shared/contract/key-life'
import type { Role } from '../../shared/keys'
import { apiBaseProblem } from '../api-base'
import { APPLE_API_BASE } from '../platform'
import { MAX_TOKEN_LIFETIME_SECONDS } from '../tokens'
import { quoteRefused } from './echo'
import type { CommandName } from './help'
import { isCommandName } from './help'
import type { KeyArguments } from './key-input'

/** The command line, parsed and checked: a command to run, or why it cannot be run. */

/** A key from flags (or the CI variables), or one saved in Ascent (`--team`). */
export type KeySource = { kind: 'flags'; key: KeyArguments } | { kind: 'team'; team: string }

export interface DoctorCommand {
  command: 'doctor'
  source: KeySource
  role: Role | null
  appId: string | null
  apiBase: string
  timeoutMs: number
  json: boolean
}

export interface TokenCommand {
  command: 'token'
  source: KeySource
  scope: string[]
  lifetimeSeconds: number | undefined
}

export interface TeamsCommand {
  command: 'teams'
  json: boolean
}

export interface AddCommand {
  command: 'add'
  key: KeyArguments
  name: string | null
  role: Role | null
  apiBase: string
  timeoutMs: number
  json: boolean
}

export interface ExportCommand {
  command: 'export'
  team: string
  format: ExportFormat
  /** A path, `-` for stdout, or null for the format's usual name in the working folder. */
  out: string | null
  force: boolean
}

export type ParsedCommand =
  | DoctorCommand
  | TokenCommand
  | TeamsCommand
  | AddCommand
  | ExportCommand
  | { command: 'help'; topic: CommandName | null }
  | { command: 'version' }
  /** `topic`: the command whose help the one-line error points to. */
  | { command: 'usage_error'; message: string; topic: CommandName | null }

const OPTIONS = {
  'issuer-id': { type: 'string' },
  'key-id': { type: 'string' },
  p8: { type: 'string' },
  'fastlane-json': { type: 'string' },
  individual: { type: 'boolean' },
  team: { type: 'string' },
  role: { type: 'string' },
  'app-id': { type: 'string' },
  'api-base': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  scope: { type: 'string', multiple: true },
  lifetime: { type: 'string' },
  name: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const

type OptionName = keyof typeof OPTIONS

const KEY_OPTIONS = ['issuer-id', 'key-id', 'p8', 'fastlane-json', 'individual'] as const

/** Which options each command takes (besides --help). */
const ALLOWED: Record<CommandName, readonly OptionName[]> = {
  doctor: [...KEY_OPTIONS, 'team', 'role', 'app-id', 'api-base', 'timeout', 'json'],
  token: [...KEY_OPTIONS, 'team', 'scope', 'lifetime'],
  teams: ['json'],
  add: [...KEY_OPTIONS, 'name', 'role', 'api-base', 'timeout', 'json'],
  export: ['team', 'format', 'out', 'force'],
}

const ROLES: Record<string, Role> = {
  admin: 'ADMIN',
  'app-manager': 'APP_MANAGER',
  app_manager: 'APP_MANAGER',
  developer: 'DEVELOPER',
}

const FORMATS: readonly ExportFormat[] = ['fastlane', 'p8', 'env']

const DEFAULT_TIMEOUT_SECONDS = 20
const MAX_NAME_LENGTH = 80

type Values = ReturnType<typeof parse>['values']

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
}

function usageError(message: string, topic: CommandName | null): ParsedCommand {
  return { command: 'usage_error', message, topic }
}

/** The command named first among the arguments, for the help an error points to. */
function commandIn(argv: readonly string[]): CommandName | null {
  return argv.find(isCommandName) ?? null
}

/** Node's own wording repeats the whole argument; ours quotes at most the start of it. */
function unreadableCommandLine(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined
  const message = error instanceof Error ? error.message : ''
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /^Unknown option '([^]*?)'\. /.exec(message)?.[1] ?? ''
    return `Unknown option ${quoteRefused(option)}.`
  }
  // Names only the option (`Option '--p8 <value>' argument missing`), never a value.
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${message}.`
  return 'The command line could not be read.'
}

export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  let parsed
  try {
    parsed = parse(argv)
  } catch (error) {
    return usageError(unreadableCommandLine(error), commandIn(argv))
  }
  const { values, positionals } = parsed
  const [first, ...rest] = positionals

  if (first === 'help' || (values.help && !isCommandName(first))) {
    const [topic] = first === 'help' ? rest : positionals
    if (topic === undefined) return { command: 'help', topic: null }
    return isCommandName(topic)
      ? { command: 'help', topic }
      : usageError(`There is no command ${quoteRefused(topic)}.`, null)
  }
  if (values.version || first === 'version') return { command: 'version' }
  if (!isCommandName(first)) {
    return usageError(
      first
        ? `Unknown command ${quoteRefused(first)}.`
        : 'Name a command: doctor, token, teams, add or export.',
      null,
    )
  }
  const command = first
  if (values.help) return { command: 'help', topic: command }
  if (rest.length > 0)
    return usageError(`Unexpected argument ${quoteRefused(rest[0] ?? '')}.`, command)
  const misplaced = (Object.keys(values) as OptionName[]).find(
    (name) => name !== 'help' && !ALLOWED[command].includes(name),
  )
  if (misplaced) return usageError(`--${misplaced} is not an option of ascent ${command}.`, command)

  const fail = (message: string) => usageError(message, command)
  switch (command) {
    case 'teams':
      return { command, json: values.json ?? false }
    case 'export':
      return exportCommand(values, fail)
    case 'token':
      return tokenCommand(values, fail)
    case 'doctor':
    case 'add':
      return checkCommand(command, values, fail)
  }
}

function keyArguments(values: Values): KeyArguments {
  return {
    issuerId: values['issuer-id'],
    keyId: values['key-id'],
    p8: values.p8,
    fastlaneJson: values['fastlane-json'],
    individual: values.individual ?? false,
  }
}

/** The key flags, or `--team` instead of them. */
function keySource(
  values: Values,
  fail: (message: string) => ParsedCommand,
): KeySource | ParsedCommand {
  if (values.team === undefined) return { kind: 'flags', key: keyArguments(values) }
  const team = values.team.trim()
  if (!team) return fail('--team takes the name or key ID of a saved key (see ascent teams).')
  const mixed = KEY_OPTIONS.find((name) => values[name] !== undefined)
  if (mixed) return fail(`--team names a saved key; leave out --${mixed}.`)
  return { kind: 'team', team }
}

function isParsedCommand(value: KeySource | ParsedCommand): value is ParsedCommand {
  return 'command' in value
}

function tokenCommand(values: Values, fail: (message: string) => ParsedCommand): ParsedCommand {
  const source = keySource(values, fail)
  if (isParsedCommand(source)) return source
  let lifetimeSeconds: number | undefined
  if (values.lifetime !== undefined) {
    lifetimeSeconds = Number(values.lifetime)
    if (
      !Number.isInteger(lifetimeSeconds) ||
      lifetimeSeconds <= 60 ||
      lifetimeSeconds > MAX_TOKEN_LIFETIME_SECONDS
    ) {
      return fail(
        `--lifetime must be a whole number of seconds from 61 to ${MAX_TOKEN_LIFETIME_SECONDS}: Apple refuses tokens that live longer than 20 minutes.`,
      )
    }
  }
  const scope = values.scope ?? []
  const badScope = scope.find((entry) => !/^[A-Z]+ \/\S*$/.test(entry.trim()))
  if (badScope !== undefined) {
    return fail(`--scope takes one request such as "GET /v1/apps", not ${quoteRefused(badScope)}.`)
  }
  return { command: 'token', source, scope, lifetimeSeconds }
}

function checkCommand(
  command: 'doctor' | 'add',
  values: Values,
  fail: (message: string) => ParsedCommand,
): ParsedCommand {
  let role: Role | null = null
  if (values.role !== undefined) {
    const found = ROLES[values.role.trim().toLowerCase()]
    if (!found) {
      return fail(`--role is admin, app-manager or developer, not ${quoteRefused(values.role)}.`)
    }
    role = found
  }
  let apiBase = APPLE_API_BASE
  if (values['api-base'] !== undefined) {
    const given = values['api-base']
    const url = URL.canParse(given) ? new URL(given) : null
    if (!url) return fail(`--api-base must be a URL, not ${quoteRefused(given)}.`)
    const problem = apiBaseProblem(url)
    if (problem) return fail(`--api-base ${quoteRefused(given)} cannot be used: ${problem}.`)
    apiBase = url.href.replace(/\/+$/, '')
  }
  let timeoutMs = DEFAULT_TIMEOUT_SECONDS * 1000
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout)
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
      return fail('--timeout is a number of seconds, more than 0 and at most 600.')
    }
    timeoutMs = Math.round(seconds * 1000)
  }
  const json = values.json ?? false
  if (command === 'add') {
    const name = values.name?.trim() ?? null
    if (name !== null && (name.length === 0 || name.length > MAX_NAME_LENGTH)) {
      return fail(`--name takes 1 to ${MAX_NAME_LENGTH} characters.`)
    }
    return { command, key: keyArguments(values), name, role, apiBase, timeoutMs, json }
  }
  const source = keySource(values, fail)
  if (isParsedCommand(source)) return source
  return {
    command,
    source,
    role,
    appId: values['app-id']?.trim() || null,
    apiBase,
    timeoutMs,
    json,
  }
}

function exportCommand(values: Values, fail: (message: string) => ParsedCommand): ParsedCommand {
  const team = values.team?.trim()
  if (!team) return fail('Name the saved key to export: --team NAME or --team KEYID.')
  const format = values.format?.trim().toLowerCase()
  if (format === undefined) return fail('Name a format: --format fastlane, p8 or env.')
  if (!FORMATS.includes(format as ExportFormat)) {
    return fail(`--format is fastlane, p8 or env, not ${quoteRefused(values.format ?? '')}.`)
  }
  const out = values.out?.trim()
  if (out === '') return fail('--out takes a file name, or - to print the key.')
  if (out === '-' && values.force) return fail('--force replaces a file; --out - writes none.')
  return {
    command: 'export',
    team,
    format: format as ExportFormat,
    out: out ?? null,
    force: values.force ?? false,
  }
}
