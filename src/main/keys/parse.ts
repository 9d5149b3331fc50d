import { X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { z } from 'zod'
import type { KeyType } from '../../shared/keys'
import {
  looksLikeIssuerId,
  looksLikeKeyId,
  normalizeIssuerId,
  normalizeKeyId,
} from '../../shared/keys'
import { errorCode } from '../errors'
import type { Refusal } from './refusals'
import { refusals } from './refusals'

/**
 * The one parser every intake path ends in: turns whatever the user brought (Apple's .p8, the
 * same PEM damaged in the known ways, a fastlane API key JSON) into a P-256 private key, or a
 * precise refusal. Pure: no files, no clipboard, no clock.
 */

export interface Prefill {
  keyId: string | null
  issuerId: string | null
  keyType: KeyType | null
}

export interface ParsedKey {
  privateKey: KeyObject
  /** The key as PKCS#8 PEM, the form stored in the keychain. Zero it with `fill(0)` when done. */
  pem: Buffer
  /** SHA-256 of the public key's SPKI DER, lower-case hex. */
  fingerprint: string
  /** What was repaired or converted on the way in. */
  notes: string[]
  prefill: Prefill
}

export type ParseResult = { ok: true; key: ParsedKey } | { ok: false; refusal: Refusal }

const NOTES = {
  spaces: 'Removed spaces and blank lines around the key.',
  quotes: 'Removed the quotes around the key.',
  literalNewlines: 'Turned literal "\\n" sequences back into line breaks.',
  crlf: 'Converted Windows (CRLF) line endings.',
  base64Pem: 'Decoded a base64-encoded PEM (the form CI secrets such as ASC_KEY_P8_BASE64 use).',
  headerless: 'Added the missing -----BEGIN/END PRIVATE KEY----- lines.',
  missingEnd: 'Added the missing -----END PRIVATE KEY----- line (the key itself was complete).',
  missingBegin: 'Added the missing BEGIN line above the key (the key itself was complete).',
  sec1: 'Converted the key from SEC1 (EC PRIVATE KEY) to PKCS#8, the form of Apple’s .p8 files.',
  binaryDer: 'Read the key from binary (DER) form.',
  fastlane: 'Read the key from a fastlane API key file, with the IDs it names.',
  fastlaneInHouse:
    'This fastlane file marks the key as In-House (in_house: true): a key of the Apple Developer Enterprise Program. Those are made for the Enterprise Program API, so App Store Connect will most likely refuse it; the check will tell.',
  fastlaneBadKeyId: 'The key_id in the fastlane file is not a valid key ID, so it was left out.',
  fastlaneBadIssuerId:
    'The issuer_id in the fastlane file is not a valid issuer ID, so it was left out.',
} as const

const NO_PREFILL: Prefill = { keyId: null, issuerId: null, keyType: null }

/** A PEM that lost its BEGIN line: a body, then one END line that closes the text. */
const END_ONLY = /^([\s\S]*?)-----END ([A-Z0-9 ]+?)-----$/

/** How many layers of wrapping (fastlane JSON → base64 → PEM) intake will peel. */
const MAX_DEPTH = 3

type Analysis = { ok: true; privateKey: KeyObject } | { ok: false; refusal: Refusal }

interface Context {
  notes: string[]
  prefill: Prefill
}

/** Parses bytes read from a file: text of any of the accepted kinds, or a binary DER key. */
export function parseKeyBytes(bytes: Buffer): ParseResult {
  if (bytes[0] === 0x30 && !isText(bytes)) {
    const context: Context = { notes: [NOTES.binaryDer], prefill: NO_PREFILL }
    return finish(analyzeDer(bytes, null, false, context), context)
  }
  return parseKeyText(bytes.toString('utf8'))
}

export function parseKeyText(text: string): ParseResult {
  const context: Context = { notes: [], prefill: NO_PREFILL }
  return finish(analyzeText(text, context, 0), context)
}

function fingerprintOf(privateKey: KeyObject): string {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(spki).digest('hex')
}

/** `a1b2…` → `A1:B2:C3:D4:E5:F6:07:08`: the first 8 bytes, for telling keys apart at a glance. */
export function shortFingerprint(fingerprint: string): string {
  return (fingerprint.slice(0, 16).toUpperCase().match(/../g) ?? []).join(':')
}

function finish(analysis: Analysis, context: Context): ParseResult {
  if (!analysis.ok) return analysis
  const pem = Buffer.from(analysis.privateKey.export({ type: 'pkcs8', format: 'pem' }))
  return {
    ok: true,
    key: {
      privateKey: analysis.privateKey,
      pem,
      fingerprint: fingerprintOf(analysis.privateKey),
      notes: [...new Set(context.notes)],
      prefill: context.prefill,
    },
  }
}

function isText(bytes: Buffer): boolean {
  return !bytes.some((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f)
}

function analyzeText(raw: string, context: Context, depth: number): Analysis {
  let text = raw.replace(/^\uFEFF/, '')
  const bare = text.replace(/^[\s"'`]+|[\s"'`]+$/g, '')
  if (!bare)
    return { ok: false, refusal: refusals.notAKey('This is empty: there is no key in it.') }
  if (/^["'`]|["'`]$/.test(text.trim())) context.notes.push(NOTES.quotes)
  // One final line break is how files end, not damage.
  if (/^\s|\s$/.test(text.replace(/\r?\n$/, ''))) context.notes.push(NOTES.spaces)
  text = bare

  if (text.startsWith('{')) {
    if (depth > 0) return { ok: false, refusal: refusals.notAKey() }
    return analyzeFastlane(text, context, depth)
  }
  if (/\\[nr]/.test(text)) {
    text = text.replace(/\\r\\n|\\n|\\r/g, '\n')
    context.notes.push(NOTES.literalNewlines)
  }
  if (text.includes('\r')) {
    text = text.replace(/\r\n?/g, '\n')
    context.notes.push(NOTES.crlf)
  }
  if (text.includes('-----BEGIN')) return analyzePem(text, context)
  const [, body, endLabel] = END_ONLY.exec(text.trimEnd()) ?? []
  if (body !== undefined && endLabel && !body.includes('-----')) {
    // The END line names what the block was; give it back its BEGIN line and read it as such.
    const analysis = analyzePem(`-----BEGIN ${endLabel}-----\n${text}`, context)
    if (analysis.ok) context.notes.push(NOTES.missingBegin)
    return analysis
  }

  if (looksLikeIssuerId(text)) return { ok: false, refusal: refusals.pastedIssuerId() }
  if (looksLikeKeyId(text)) return { ok: false, refusal: refusals.pastedKeyId() }

  const compact = text.replace(/\s+/g, '')
  if (compact.length >= 16 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    const decoded = Buffer.from(compact, 'base64')
    try {
      if ((decoded.includes('-----BEGIN') || decoded.includes('-----END')) && depth < MAX_DEPTH) {
        context.notes.push(NOTES.base64Pem)
        return analyzeText(decoded.toString('utf8'), context, depth + 1)
      }
      if (decoded[0] === 0x30) {
        const analysis = analyzeDer(decoded, null, false, context)
        if (analysis.ok) context.notes.push(NOTES.headerless)
        return analysis
      }
    } finally {
      decoded.fill(0)
    }
  }
  return { ok: false, refusal: refusals.notAKey() }
}

const fastlaneKeyFile = z
  .object({
    key: z.string().optional(),
    key_filepath: z.string().optional(),
    key_id: z.unknown().optional(),
    issuer_id: z.unknown().optional(),
    in_house: z.unknown().optional(),
  })
  .loose()

function analyzeFastlane(text: string, context: Context, depth: number): Analysis {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    try {
      // Hand-edited files often carry the PEM's real line breaks inside the string.
      json = JSON.parse(text.replace(/[\r\n]+/g, ' '))
    } catch {
      return { ok: false, refusal: refusals.fastlaneInvalid('it is not valid JSON.') }
    }
  }
  const file = fastlaneKeyFile.safeParse(json)
  if (!file.success) {
    return { ok: false, refusal: refusals.fastlaneInvalid('it is not a JSON object.') }
  }
  const {
    key,
    key_filepath: keyFilePath,
    key_id: keyId,
    issuer_id: issuerId,
    in_house: inHouse,
  } = file.data
  if (!key?.trim()) {
    return {
      ok: false,
      refusal: refusals.fastlaneInvalid(
        keyFilePath
          ? 'it points to a key file (key_filepath) instead of holding the key. Import that .p8 file instead.'
          : 'it has no "key" field holding the private key.',
      ),
    }
  }

  const validKeyId = typeof keyId === 'string' && looksLikeKeyId(keyId)
  const validIssuerId = typeof issuerId === 'string' && looksLikeIssuerId(issuerId)
  const issuerGiven = typeof issuerId === 'string' ? issuerId.trim() !== '' : issuerId != null
  context.prefill = {
    keyId: validKeyId ? normalizeKeyId(keyId) : null,
    issuerId: validIssuerId ? normalizeIssuerId(issuerId) : null,
    // fastlane files for individual keys carry no issuer ID.
    keyType: validIssuerId ? 'team' : issuerGiven ? null : 'individual',
  }
  context.notes.push(NOTES.fastlane)
  if (keyId != null && keyId !== '' && !validKeyId) context.notes.push(NOTES.fastlaneBadKeyId)
  if (issuerGiven && !validIssuerId) context.notes.push(NOTES.fastlaneBadIssuerId)
  // fastlane signs such keys for Apple's Enterprise Program API (audience
  // `apple-developer-enterprise-v1`), not for App Store Connect.
  if (inHouse === true || inHouse === 'true') context.notes.push(NOTES.fastlaneInHouse)

  const inner: Context = { notes: [], prefill: context.prefill }
  const analysis = analyzeText(key, inner, depth + 1)
  // Quotes and spaces around a JSON string's contents are the JSON's, not damage to the key.
  const wrapping: string[] = [NOTES.quotes, NOTES.spaces]
  context.notes.push(...inner.notes.filter((note) => !wrapping.includes(note)))
  return analysis
}

interface PemBlock {
  label: string
  headers: string[]
  body: string
  /** The block had no END line. */
  open: boolean
}

const BEGIN = /-----BEGIN ([A-Z0-9 ]+?)-----/g

function pemBlocks(text: string): PemBlock[] {
  const begins = [...text.matchAll(BEGIN)]
  return begins.map((begin, index) => {
    const label = begin[1] ?? ''
    const start = begin.index + begin[0].length
    const limit = begins[index + 1]?.index ?? text.length
    const endMarker = `-----END ${label}-----`
    const end = text.indexOf(endMarker, start)
    const open = end === -1 || end > limit
    const inner = text.slice(start, open ? limit : end)
    const headers: string[] = []
    const body: string[] = []
    for (const line of inner.split('\n')) {
      if (line.includes(':')) headers.push(line.trim())
      else body.push(line)
    }
    // A truncated block may carry the start of its END line: drop the dashes and what follows.
    const joined = body.join('').replace(/\s+/g, '')
    return { label, headers, body: open ? joined.replace(/-.*$/, '') : joined, open }
  })
}

const CERTIFICATE_LABELS = ['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE']
const REQUEST_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']
const PUBLIC_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY', 'EC PUBLIC KEY']

function analyzePem(text: string, context: Context): Analysis {
  const blocks = pemBlocks(text)
  const privateBlocks = blocks.filter((block) => block.label.endsWith('PRIVATE KEY'))
  if (privateBlocks.length > 1) return { ok: false, refusal: refusals.multipleKeys() }
  const [privateBlock] = privateBlocks
  if (privateBlock) return analyzePrivateBlock(privateBlock, context)

  const labels = blocks.map((block) => block.label)
  if (labels.some((label) => CERTIFICATE_LABELS.includes(label))) {
    return { ok: false, refusal: refusals.certificate() }
  }
  if (labels.some((label) => REQUEST_LABELS.includes(label))) {
    return { ok: false, refusal: refusals.certificateRequest() }
  }
  if (labels.some((label) => PUBLIC_LABELS.includes(label))) {
    return { ok: false, refusal: refusals.publicKey() }
  }
  const [first] = labels
  return {
    ok: false,
    refusal: refusals.notAKey(
      first === 'EC PARAMETERS'
        ? 'This holds only EC curve parameters, not a private key.'
        : first
          ? 'This is a PEM block of another kind, not a private key.'
          : undefined,
    ),
  }
}

function analyzePrivateBlock(block: PemBlock, context: Context): Analysis {
  const encryptedHeader = block.headers.some((header) => /^Proc-Type:.*ENCRYPTED/i.test(header))
  switch (block.label) {
    case 'ENCRYPTED PRIVATE KEY':
      return { ok: false, refusal: refusals.encrypted() }
    case 'RSA PRIVATE KEY':
      return { ok: false, refusal: refusals.rsaKey('PKCS#1') }
    case 'DSA PRIVATE KEY':
      return { ok: false, refusal: refusals.unsupportedKey('a DSA private key') }
    case 'OPENSSH PRIVATE KEY':
      return {
        ok: false,
        refusal: refusals.unsupportedKey('an OpenSSH private key (the kind ssh-keygen makes)'),
      }
    case 'PRIVATE KEY':
    case 'EC PRIVATE KEY':
      break
    default:
      // Its label is not echoed: it is text from the file, and may be anything.
      return {
        ok: false,
        refusal: refusals.unsupportedKey('a kind of private key Ascent does not know'),
      }
  }
  if (encryptedHeader) return { ok: false, refusal: refusals.encrypted() }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(block.body)) {
    return { ok: false, refusal: block.open ? refusals.truncated() : refusals.damaged() }
  }
  const der = Buffer.from(block.body, 'base64')
  try {
    if (der.length === 0) return { ok: false, refusal: refusals.truncated() }
    const label = block.label === 'EC PRIVATE KEY' ? 'EC PRIVATE KEY' : 'PRIVATE KEY'
    const analysis = analyzeDer(der, label, block.open, context)
    if (analysis.ok && block.open) context.notes.push(NOTES.missingEnd)
    return analysis
  } finally {
    der.fill(0)
  }
}

type DerExtent = 'complete' | 'truncated' | 'not_der'

/** Compares the outer SEQUENCE's declared length with the bytes present. */
function derExtent(der: Buffer): DerExtent {
  if (der[0] !== 0x30) return 'not_der'
  const first = der[1]
  if (first === undefined) return 'truncated'
  let length = first
  let header = 2
  if (first & 0x80) {
    const count = first & 0x7f
    if (count === 0 || count > 4) return 'not_der'
    if (der.length < 2 + count) return 'truncated'
    length = 0
    for (let index = 0; index < count; index += 1) length = length * 256 + (der[2 + index] ?? 0)
    header += count
  }
  const total = header + length
  if (total > der.length) return 'truncated'
  return total === der.length ? 'complete' : 'not_der'
}

/**
 * `label` is the PEM label, or null for a body that came without one (headerless text or a
 * binary file), which is then recognized by trying each structure in turn.
 */
function analyzeDer(
  der: Buffer,
  label: 'PRIVATE KEY' | 'EC PRIVATE KEY' | null,
  open: boolean,
  context: Context,
): Analysis {
  const extent = derExtent(der)
  if (extent === 'truncated') return { ok: false, refusal: refusals.truncated() }
  if (extent === 'not_der') {
    return {
      ok: false,
      refusal: label ? (open ? refusals.truncated() : refusals.damaged()) : refusals.notAKey(),
    }
  }

  if (label === 'EC PRIVATE KEY') return analyzeSec1(der, context)

  try {
    return classify(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), false, context)
  } catch (error) {
    if (errorCode(error) === 'ERR_MISSING_PASSPHRASE') {
      return { ok: false, refusal: refusals.encrypted() }
    }
    if (label) return { ok: false, refusal: refusals.damaged() }
  }
  return recognizeHeaderless(der, context)
}

function recognizeHeaderless(der: Buffer, context: Context): Analysis {
  const sec1 = tryOr(() => createPrivateKey({ key: der, format: 'der', type: 'sec1' }))
  if (sec1?.asymmetricKeyType === 'ec') return classify(sec1, true, context)
  if (tryOr(() => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }))) {
    return { ok: false, refusal: refusals.rsaKey('PKCS#1') }
  }
  if (tryOr(() => new X509Certificate(der))) return { ok: false, refusal: refusals.certificate() }
  const publicKey =
    tryOr(() => createPublicKey({ key: der, format: 'der', type: 'spki' })) ??
    tryOr(() => createPublicKey({ key: der, format: 'der', type: 'pkcs1' }))
  if (publicKey) return { ok: false, refusal: refusals.publicKey() }
  return { ok: false, refusal: refusals.notAKey() }
}

function analyzeSec1(der: Buffer, context: Context): Analysis {
  const privateKey = tryOr(() => createPrivateKey({ key: der, format: 'der', type: 'sec1' }))
  if (privateKey?.asymmetricKeyType !== 'ec') {
    return { ok: false, refusal: refusals.sec1Unreadable() }
  }
  return classify(privateKey, true, context)
}

function classify(privateKey: KeyObject, sec1: boolean, context: Context): Analysis {
  switch (privateKey.asymmetricKeyType) {
    case 'ec': {
      const namedCurve = privateKey.asymmetricKeyDetails?.namedCurve
      if (namedCurve !== 'prime256v1') {
        return { ok: false, refusal: refusals.wrongCurve(namedCurve, sec1) }
      }
      if (sec1) context.notes.push(NOTES.sec1)
      return { ok: true, privateKey }
    }
    case 'rsa':
    case 'rsa-pss':
      return { ok: false, refusal: refusals.rsaKey('PKCS#8') }
    case 'ed25519':
    case 'ed448':
      return {
        ok: false,
        refusal: refusals.unsupportedKey(
          `an ${privateKey.asymmetricKeyType === 'ed25519' ? 'Ed25519' : 'Ed448'} private key`,
        ),
      }
    case 'dsa':
      return { ok: false, refusal: refusals.unsupportedKey('a DSA private key') }
    default:
      return {
        ok: false,
        refusal: refusals.unsupportedKey(`a ${privateKey.asymmetricKeyType ?? 'non-EC'} key`),
      }
  }
}

function tryOr<T>(make: () => T): T | null {
  try {
    return make()
  } catch {
    return null
  }
}
