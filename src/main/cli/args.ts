import { parseArgs } from 'node:util'
import type { Role } from '../../shared/keys'
import { apiBaseProblem } from '../api-base'
import { APPLE_API_BASE } from '../platform'
import { MAX_TOKEN_LIFETIME_SECONDS } from '../tokens'
import { quoteRefused } from './echo'
import type { KeyArguments } from './key-input'

/** The command line, parsed and checked: a command to run, or why it cannot be run. */

export const USAGE = `Usage:
  ascent doctor [key] [--role ROLE] [--app-id ID] [--api-base URL] [--timeout SECONDS] [--json]
  ascent token  [key] [--scope REQUEST]... [--lifetime SECONDS]

The key (flags win over environment variables):
  --issuer-id UUID       the team's issuer ID                 env ASC_ISSUER_ID
  --key-id KEYID         the 10-character key ID              env ASC_KEY_ID
                         (else taken from AuthKey_KEYID.p8 or the fastlane file)
  --p8 FILE              the private key, AuthKey_KEYID.p8    env ASC_KEY_P8_BASE64 (the .p8, base64)
  --fastlane-json FILE   a fastlane API key file (key_id, issuer_id, key)
  --individual           an individual key: it has no issuer ID

ascent doctor checks the key with App Store Connect and says what is wrong, if anything:
  --role ROLE            admin, app-manager or developer. Only admin is checked: fail unless the key
                         may list users. No read tells app-manager from developer, so those are
                         taken as given (JSON: "roleVerified": false)
  --app-id ID            also check that the key sees this app (its Apple ID)
  --api-base URL         another API base, such as the Apple sandbox (default ${APPLE_API_BASE});
                         https, or plain http to this computer only
  --timeout SECONDS      per request (default 20)
  --json                 print one JSON object: the diagnosis, its steps and warnings

ascent token prints a fresh token, for curl -H "Authorization: Bearer $(ascent token ...)":
  --scope REQUEST        limit the token to this request, e.g. "GET /v1/apps" (repeatable)
  --lifetime SECONDS     61 to ${MAX_TOKEN_LIFETIME_SECONDS} (default 1140)

Exit status: 0 the key works (or the token was printed), 1 a problem with the key (see the
diagnosis), 2 a usage error.
`

export interface DoctorCommand {
  command: 'doctor'
  key: KeyArguments
  role: Role | null
  appId: string | null
  apiBase: string
  timeoutMs: number
  json: boolean
}

export interface TokenCommand {
  command: 'token'
  key: KeyArguments
  scope: string[]
  lifetimeSeconds: number | undefined
}

export type ParsedCommand =
  DoctorCommand | TokenCommand | { command: 'help' } | { command: 'usage_error'; message: string }

const OPTIONS = {
  'issuer-id': { type: 'string' },
  'key-id': { type: 'string' },
  p8: { type: 'string' },
  'fastlane-json': { type: 'string' },
  individual: { type: 'boolean' },
  role: { type: 'string' },
  'app-id': { type: 'string' },
  'api-base': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  scope: { type: 'string', multiple: true },
  lifetime: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

const DOCTOR_ONLY = ['role', 'app-id', 'api-base', 'timeout', 'json'] as const
const TOKEN_ONLY = ['scope', 'lifetime'] as const

const ROLES: Record<string, Role> = {
  admin: 'ADMIN',
  'app-manager': 'APP_MANAGER',
  app_manager: 'APP_MANAGER',
  developer: 'DEVELOPER',
}

const DEFAULT_TIMEOUT_SECONDS = 20

function usageError(message: string): ParsedCommand {
  return { command: 'usage_error', message }
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
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    return usageError(unreadableCommandLine(error))
  }
  const { values, positionals } = parsed
  const [command, ...extra] = positionals
  if (values.help || command === 'help') return { command: 'help' }
  if (command !== 'doctor' && command !== 'token') {
    return usageError(
      command ? `Unknown command ${quoteRefused(command)}.` : 'Name a command: doctor or token.',
    )
  }
  if (extra[0] !== undefined) return usageError(`Unexpected argument ${quoteRefused(extra[0])}.`)
  const foreign = command === 'doctor' ? TOKEN_ONLY : DOCTOR_ONLY
  const misplaced = foreign.find((name) => values[name] !== undefined)
  if (misplaced) return usageError(`--${misplaced} is not an option of ascent ${command}.`)

  const key: KeyArguments = {
    issuerId: values['issuer-id'],
    keyId: values['key-id'],
    p8: values.p8,
    fastlaneJson: values['fastlane-json'],
    individual: values.individual ?? false,
  }

  if (command === 'token') {
    let lifetimeSeconds: number | undefined
    if (values.lifetime !== undefined) {
      lifetimeSeconds = Number(values.lifetime)
      if (
        !Number.isInteger(lifetimeSeconds) ||
        lifetimeSeconds <= 60 ||
        lifetimeSeconds > MAX_TOKEN_LIFETIME_SECONDS
      ) {
        return usageError(
          `--lifetime must be a whole number of seconds from 61 to ${MAX_TOKEN_LIFETIME_SECONDS}: Apple refuses tokens that live longer than 20 minutes.`,
        )
      }
    }
    const scope = values.scope ?? []
    const badScope = scope.find((entry) => !/^[A-Z]+ \/\S*$/.test(entry.trim()))
    if (badScope !== undefined) {
      return usageError(
        `--scope takes one request such as "GET /v1/apps", not ${quoteRefused(badScope)}.`,
      )
    }
    return { command: 'token', key, scope, lifetimeSeconds }
  }

  let role: Role | null = null
  if (values.role !== undefined) {
    const found = ROLES[values.role.trim().toLowerCase()]
    if (!found) {
      return usageError(
        `--role is admin, app-manager or developer, not ${quoteRefused(values.role)}.`,
      )
    }
    role = found
  }
  let apiBase = APPLE_API_BASE
  if (values['api-base'] !== undefined) {
    const given = values['api-base']
    const url = URL.canParse(given) ? new URL(given) : null
    if (!url) return usageError(`--api-base must be a URL, not ${quoteRefused(given)}.`)
    const problem = apiBaseProblem(url)
    if (problem) return usageError(`--api-base ${quoteRefused(given)} cannot be used: ${problem}.`)
    apiBase = url.href.replace(/\/+$/, '')
  }
  let timeoutMs = DEFAULT_TIMEOUT_SECONDS * 1000
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout)
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
      return usageError('--timeout is a number of seconds, more than 0 and at most 600.')
    }
    timeoutMs = Math.round(seconds * 1000)
  }
  return {
    command: 'doctor',
    key,
    role,
    appId: values['app-id']?.trim() || null,
    apiBase,
    timeoutMs,
    json: values.json ?? false,
  }
}
