import type { webcrypto } from 'node:crypto'
import { basename, resolve } from 'node:path'
import type { KeyType } from '../../shared/keys'
import { keyIdFromFileName } from '../../shared/keys'
import type { PrivateKeyStatus } from '../diagnosis'
import { privateKeyInvalid } from '../diagnosis'
import {
  importSigningKey,
  parseKeyBytes,
  parseKeyText,
  readKeyFile,
  type ParsedKey,
  type ParseResult,
} from '../keys'
import { quoteRefused } from './echo'

/**
 * The key the command line works with, from flags, the conventional CI variables or a fastlane
 * file, read by the app's own intake (the same parser, the same repairs, the same refusals).
 * Flags win over variables, variables over what the key file names.
 */

export interface KeyArguments {
  issuerId?: string
  keyId?: string
  p8?: string
  fastlaneJson?: string
  individual: boolean
}

export type Environment = Record<string, string | undefined>

export interface ResolvedKey {
  keyType: KeyType
  issuerId: string
  keyId: string
  keyIdFromFileName: string | null
  privateKey: PrivateKeyStatus
  /** A non-extractable signing key; null when the private key was refused. */
  signingKey: webcrypto.CryptoKey | null
  /** What intake repaired or converted on the way in. */
  notes: string[]
  /** The parsed key, PEM included, when asked for (`ascent add` saves it); zero its `pem`. */
  parsed: ParsedKey | null
  /** Where the key came from: a file (--p8, --fastlane-json) or ASC_KEY_P8_BASE64. */
  source: 'file' | 'environment'
  /** The file's name, when it came from one. */
  fileName: string | null
}

export type KeyResolution = { ok: true; key: ResolvedKey } | { ok: false; usage: string }

function present(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined
}

async function readKey(
  args: KeyArguments,
  env: Environment,
  cwd: string,
): Promise<{ parsed: ParseResult; fileName: string | null } | { usage: string }> {
  if (args.p8 !== undefined && args.fastlaneJson !== undefined) {
    return { usage: 'Pass either --p8 or --fastlane-json, not both.' }
  }
  const path = args.p8 ?? args.fastlaneJson
  if (path !== undefined) {
    const read = await readKeyFile(resolve(cwd, path))
    if (!read.ok) {
      // A path that leads nowhere is a mistyped argument, not a finding about a key.
      if (read.refusal.code === 'intake.file_missing') {
        return {
          usage: `${args.p8 !== undefined ? '--p8' : '--fastlane-json'}: no such file: ${quoteRefused(path)}`,
        }
      }
      return { parsed: { ok: false, refusal: read.refusal }, fileName: path }
    }
    try {
      return { parsed: parseKeyBytes(read.bytes), fileName: path }
    } finally {
      read.bytes.fill(0)
    }
  }
  const fromEnv = present(env.ASC_KEY_P8_BASE64)
  if (fromEnv) return { parsed: parseKeyText(fromEnv), fileName: null }
  return {
    usage:
      'No private key: pass --p8 AuthKey_XXXXXXXXXX.p8 or --fastlane-json FILE, or set ASC_KEY_P8_BASE64.',
  }
}

export async function resolveKey(
  args: KeyArguments,
  env: Environment,
  cwd: string,
  options: { keepKey?: boolean } = {},
): Promise<KeyResolution> {
  const read = await readKey(args, env, cwd)
  if ('usage' in read) return { ok: false, usage: read.usage }
  const { parsed, fileName } = read
  // Only `ascent add` stores the key; otherwise the command line signs with the key object and
  // the PEM copy is not needed.
  if (parsed.ok && !options.keepKey) parsed.key.pem.fill(0)
  const prefill = parsed.ok ? parsed.key.prefill : { keyId: null, issuerId: null, keyType: null }
  const fromFileName = fileName ? keyIdFromFileName(fileName) : null
  const refuse = (usage: string): KeyResolution => {
    if (parsed.ok) parsed.key.pem.fill(0)
    return { ok: false, usage }
  }

  if (args.individual && present(args.issuerId)) {
    return refuse('Individual keys have no issuer ID: drop --issuer-id or --individual.')
  }
  const issuerId = args.individual
    ? undefined
    : (present(args.issuerId) ?? present(env.ASC_ISSUER_ID) ?? prefill.issuerId ?? undefined)
  const keyId =
    present(args.keyId) ?? present(env.ASC_KEY_ID) ?? prefill.keyId ?? fromFileName ?? undefined
  const keyType: KeyType | null = args.individual
    ? 'individual'
    : issuerId
      ? 'team'
      : prefill.keyType === 'individual'
        ? 'individual'
        : null

  // A refused key is the finding to report, whatever else is missing.
  if (parsed.ok) {
    if (!keyId) {
      return refuse(
        'No key ID: pass --key-id (10 characters, as in AuthKey_XXXXXXXXXX.p8) or set ASC_KEY_ID.',
      )
    }
    if (!keyType) {
      return refuse(
        'No issuer ID: pass --issuer-id or set ASC_ISSUER_ID; for an individual key, pass --individual.',
      )
    }
  }

  const resolved = {
    keyType: keyType ?? 'team',
    issuerId: issuerId ?? '',
    keyId: keyId ?? '',
    keyIdFromFileName: fromFileName,
    source: fileName === null ? ('environment' as const) : ('file' as const),
    fileName: fileName === null ? null : basename(fileName),
  }
  if (!parsed.ok) {
    const { refusal } = parsed
    return {
      ok: true,
      key: {
        ...resolved,
        privateKey: { ok: false, diagnosis: privateKeyInvalid(refusal.message, refusal.fix) },
        signingKey: null,
        notes: [],
        parsed: null,
      },
    }
  }
  return {
    ok: true,
    key: {
      ...resolved,
      privateKey: { ok: true, fingerprint: parsed.key.fingerprint },
      notes: parsed.key.notes,
      signingKey: await importSigningKey(parsed.key.privateKey),
      parsed: options.keepKey ? parsed.key : null,
    },
  }
}
