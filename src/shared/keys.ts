import type { CodesOf, ErrorCode } from './errors'

/**
 * The public shape of an App Store Connect API key, and the checks on its two IDs.
 * Pure functions: the renderer validates as the user types, main checks again before use.
 */
export type KeyType = 'team' | 'individual'
export type Role = 'ADMIN' | 'APP_MANAGER' | 'DEVELOPER'

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: 'Admin',
  APP_MANAGER: 'App Manager',
  DEVELOPER: 'Developer',
}

/** Errors of a saved key that cannot be read back (gone, changed, unknown): import its file again. */
export const REIMPORT_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'keys.secret_missing',
  'keys.secret_mismatch',
  'keys.unknown_key',
])

const ISSUER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const KEY_ID = /^[A-Z0-9]{10}$/i

export function looksLikeIssuerId(value: string): boolean {
  return ISSUER_ID.test(value.trim())
}

export function looksLikeKeyId(value: string): boolean {
  return KEY_ID.test(value.trim())
}

/** Issuer IDs are stored lower case. */
export function normalizeIssuerId(value: string): string {
  return value.trim().toLowerCase()
}

/** Key IDs are stored upper case. */
export function normalizeKeyId(value: string): string {
  return value.trim().toUpperCase()
}

/** `AuthKey_2X9R4HXF34.p8` → `2X9R4HXF34`; anything else → null. */
export function keyIdFromFileName(fileName: string): string | null {
  const match = /(?:^|[\\/])(?:ApiKey|AuthKey)_([A-Za-z0-9]{10})(?:\s*\(\d+\))?\.p8$/i.exec(
    fileName.trim(),
  )
  return match?.[1] ? match[1].toUpperCase() : null
}

export type IdProblemCode = CodesOf<'input'>

export interface IdProblem {
  code: IdProblemCode
  field: 'issuerId' | 'keyId'
  /** Errors block the check; the file-name mismatch is only a warning. */
  severity: 'error' | 'warning'
  message: string
}

export interface IdInput {
  keyType: KeyType
  issuerId: string
  keyId: string
  /** The key ID found in the .p8 file's name, if any. */
  keyIdFromFileName?: string | null
}

export interface IdCheck {
  /** Normalized values, or null where the input is not valid. */
  issuerId: string | null
  keyId: string | null
  problems: IdProblem[]
}

export function checkIds(input: IdInput): IdCheck {
  const issuerRaw = input.keyType === 'team' ? input.issuerId.trim() : ''
  const keyRaw = input.keyId.trim()
  const problems: IdProblem[] = []

  if (input.keyType === 'team' && looksLikeIssuerId(keyRaw) && looksLikeKeyId(issuerRaw)) {
    problems.push({
      code: 'input.ids_swapped',
      field: 'issuerId',
      severity: 'error',
      message:
        'The issuer ID and key ID look swapped: the issuer ID is the long UUID, the key ID the 10 characters.',
    })
    return { issuerId: null, keyId: null, problems }
  }

  let issuerId: string | null = null
  if (input.keyType === 'team') {
    if (looksLikeIssuerId(issuerRaw)) {
      issuerId = normalizeIssuerId(issuerRaw)
    } else {
      problems.push({
        code: 'input.issuer_id_invalid',
        field: 'issuerId',
        severity: 'error',
        message: issuerRaw
          ? looksLikeKeyId(issuerRaw)
            ? 'This looks like a key ID. The issuer ID is a UUID such as 57246542-96fe-1a63-e053-0824d011072a.'
            : 'The issuer ID is a UUID such as 57246542-96fe-1a63-e053-0824d011072a.'
          : 'Enter the issuer ID shown above the keys list in App Store Connect.',
      })
    }
  }

  let keyId: string | null = null
  if (looksLikeKeyId(keyRaw)) {
    keyId = normalizeKeyId(keyRaw)
  } else {
    problems.push({
      code: 'input.key_id_invalid',
      field: 'keyId',
      severity: 'error',
      message: !keyRaw
        ? 'Enter the key ID: 10 letters and digits, also in the file name AuthKey_XXXXXXXXXX.p8.'
        : looksLikeIssuerId(keyRaw)
          ? input.keyType === 'individual'
            ? 'This is a UUID, like an issuer ID. Individual keys have no issuer ID; the key ID is 10 letters and digits.'
            : 'This looks like an issuer ID. The key ID is 10 letters and digits, such as 2X9R4HXF34.'
          : `The key ID is 10 letters and digits (this has ${keyRaw.length} characters${/[^A-Za-z0-9]/.test(keyRaw) ? ' and some that are not letters or digits' : ''}).`,
    })
  }

  const fromFile = input.keyIdFromFileName ?? null
  if (keyId && fromFile && keyId !== fromFile) {
    problems.push({
      code: 'input.key_id_mismatch',
      field: 'keyId',
      severity: 'warning',
      message: `The key file is named for key ${fromFile}, but the key ID entered is ${keyId}. Each .p8 only works with its own key ID.`,
    })
  }

  return { issuerId, keyId, problems }
}

/** The first problem that stops a check (an error; a warning does not); null when none does. */
export function blockingProblem(check: IdCheck): IdProblem | null {
  return check.problems.find((problem) => problem.severity === 'error') ?? null
}

export function hasBlockingProblem(check: IdCheck): boolean {
  return blockingProblem(check) !== null
}
