import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { chmod, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build, type Rolldown } from 'vite'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { IntakeOutcome, KeyDraft } from '../../../src/shared/contract/keys'
import type { Keys } from '../../../src/main/keys'
import { MAX_INPUT_BYTES, createKeys } from '../../../src/main/keys'
import { createDraftStore } from '../../../src/main/keys/drafts'
import type { DraftStore } from '../../../src/main/keys/drafts'
import { createIntake } from '../../../src/main/keys/intake'
import { silentLogger } from '../../../src/main/log'
import type { FakeClock, MemoryClipboard, MemorySecretStore } from '../fakes'
import {
  createFakeClock,
  createMemoryClipboard,
  createMemorySecretStore,
  pemArmor,
  wrapPem,
} from '../fakes'
import type { P256Key } from './inputs'
import {
  ISSUER_ID,
  KEY_ID,
  ecPkcs8,
  ecSec1,
  encryptedPkcs8,
  encryptedSec1,
  fastlaneJson,
  fingerprintOfPem,
  p256,
  pemBody,
  rsaKeys,
  selfSignedCertificate,
} from './inputs'

let folder: string
let secrets: MemorySecretStore
let clipboard: MemoryClipboard
let clock: FakeClock
let keys: Keys
let key: P256Key
let run = 0

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ascent-intake-'))
  key = p256()
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

beforeEach(() => {
  secrets = createMemorySecretStore()
  clipboard = createMemoryClipboard()
  clock = createFakeClock()
  keys = createKeys({
    secrets,
    clipboard,
    now: clock.now,
    dataDir: join(folder, `data-${(run += 1)}`),
    log: silentLogger,
  })
})

async function importFile(name: string, contents: string | Buffer): Promise<IntakeOutcome> {
  const path = join(folder, name)
  await writeFile(path, contents)
  return keys.importFromPath(path, 'file')
}

function paste(text: string): Promise<IntakeOutcome> {
  clipboard.text = text
  return keys.importFromClipboard()
}

function imported(outcome: IntakeOutcome): KeyDraft {
  if (outcome.status !== 'imported') {
    throw new Error(`expected an import, got ${JSON.stringify(outcome)}`)
  }
  return outcome.draft
}

function refused(outcome: IntakeOutcome): { code: string; message: string; fix: string | null } {
  if (outcome.status !== 'refused') {
    throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`)
  }
  return outcome.refusal
}

/** The PEM a saved draft would put in the keychain. */
async function storedPem(draft: KeyDraft): Promise<string> {
  const saved = await keys.save({
    draftId: draft.draftId,
    keyType: 'team',
    issuerId: ISSUER_ID,
    keyId: draft.prefill.keyId ?? KEY_ID,
    name: 'Test',
    role: null,
  })
  return secrets.items.get(`${ISSUER_ID}/${saved.keyId}`) ?? ''
}

describe('accepted inputs', () => {
  it("accepts Apple's AuthKey_XXXXXXXXXX.p8 and describes it with public facts only", async () => {
    const draft = imported(await importFile(`AuthKey_${KEY_ID}.p8`, key.pem))
    expect(draft).toMatchObject({
      source: 'file',
      fileName: `AuthKey_${KEY_ID}.p8`,
      keyIdFromFileName: KEY_ID,
      curve: 'P-256',
      fingerprint: key.fingerprint,
      prefill: { keyId: KEY_ID, issuerId: null, keyType: null },
      notes: [],
      clipboardHoldsKey: false,
      expiresAt: new Date(clock.now() + 10 * 60 * 1000).toISOString(),
    })
    expect(draft.draftId).toMatch(/^[0-9a-f-]{36}$/)
    const expectedShort = key.fingerprint
      .slice(0, 16)
      .toUpperCase()
      .replace(/(..)(?!$)/g, '$1:')
    expect(draft.fingerprintShort).toBe(expectedShort)
    expect(JSON.stringify(draft)).not.toContain(pemBody(key.pem).split('\n')[1])
  })

  it('stores the key as normalized PKCS#8 PEM', async () => {
    const draft = imported(await importFile(`AuthKey_${KEY_ID}.p8`, key.pem))
    const pem = await storedPem(draft)
    const { begin, end } = pemArmor('PRIVATE KEY')
    expect(pem.startsWith(`${begin}\n`)).toBe(true)
    expect(pem.endsWith(`${end}\n`)).toBe(true)
    expect(pem.slice(begin.length, -end.length - 1)).toMatch(/^[A-Za-z0-9+/=\n]+$/)
    expect(fingerprintOfPem(pem)).toBe(key.fingerprint)
  })

  it('marks a dropped file as dropped', async () => {
    const path = join(folder, 'dropped.p8')
    await writeFile(path, key.pem)
    const draft = imported(await keys.importFromPath(path, 'drop'))
    expect(draft.source).toBe('drop')
    expect(draft.keyIdFromFileName).toBeNull()
  })

  const repairs: Array<[string, () => string, RegExp]> = [
    ['CRLF line endings', () => key.pem.replace(/\n/g, '\r\n'), /CRLF/],
    ['literal \\n sequences', () => key.pem.replace(/\n/g, '\\n'), /literal "\\n"/],
    ['surrounding quotes', () => `"${key.pem.replace(/\n/g, '\\n')}"`, /quotes/],
    ['surrounding spaces', () => `   \n\n${key.pem}  \n \n`, /spaces/],
    ['a PEM body without its header lines', () => pemBody(key.pem), /BEGIN\/END/],
    [
      'base64 of the whole PEM (ASC_KEY_P8_BASE64)',
      () => Buffer.from(key.pem).toString('base64'),
      /base64-encoded PEM/,
    ],
    ['a PEM whose line breaks became spaces', () => key.pem.replace(/\n/g, ' '), /spaces/],
    [
      'a PEM that lost only its END line',
      () => key.pem.replace(`${pemArmor('PRIVATE KEY').end}\n`, ''),
      /missing -----END/,
    ],
    [
      'a PEM that lost only its BEGIN line',
      () => key.pem.replace(`${pemArmor('PRIVATE KEY').begin}\n`, ''),
      /missing BEGIN line/,
    ],
  ]

  for (const [damage, text, note] of repairs) {
    it(`repairs ${damage}, and says so`, async () => {
      const draft = imported(await paste(text()))
      expect(draft.fingerprint).toBe(key.fingerprint)
      expect(draft.source).toBe('clipboard')
      expect(draft.clipboardHoldsKey).toBe(true)
      expect(draft.notes.join(' ')).toMatch(note)
    })
  }

  it('repairs the same damage in a file', async () => {
    const text = `'${key.pem.replace(/\n/g, '\\r\\n')}'`
    const draft = imported(await importFile('quoted.p8', text))
    expect(draft.fingerprint).toBe(key.fingerprint)
    expect(draft.notes).toHaveLength(2)
  })

  it('reads a key file that lost its BEGIN line or its END line, in every form it comes in', async () => {
    const { begin, end } = pemArmor('PRIVATE KEY')
    const noBegin = key.pem.replace(`${begin}\n`, '')
    const noEnd = key.pem.replace(`${end}\n`, '')
    const inputs: Array<[string, RegExp]> = [
      [noBegin, /missing BEGIN line/],
      [noBegin.replace(/\n/g, '\r\n'), /missing BEGIN line/],
      [`"${noBegin.replace(/\n/g, '\\n')}"`, /missing BEGIN line/],
      [Buffer.from(noBegin).toString('base64'), /missing BEGIN line/],
      [noEnd, /missing -----END/],
      [noEnd.replace(/\n/g, '\r\n'), /missing -----END/],
    ]
    for (const [text, note] of inputs) {
      const draft = imported(await importFile(`AuthKey_${KEY_ID}.p8`, text))
      expect(draft.fingerprint, text).toBe(key.fingerprint)
      expect(draft.notes.join(' ')).toMatch(note)
      keys.discardDraft(draft.draftId)
    }
  })

  it('reads a SEC1 "EC PRIVATE KEY" that lost its BEGIN or its END line', async () => {
    const sec1 = key.privateKey.export({ type: 'sec1', format: 'pem' }) as string
    const { begin, end } = pemArmor('EC PRIVATE KEY')
    for (const [text, note] of [
      [sec1.replace(`${begin}\n`, ''), /missing BEGIN line/],
      [sec1.replace(`${end}\n`, ''), /missing -----END/],
    ] as const) {
      const draft = imported(await importFile('key.pem', text))
      expect(draft.fingerprint).toBe(key.fingerprint)
      expect(draft.notes.join(' ')).toMatch(note)
      expect(draft.notes.join(' ')).toMatch(/SEC1.*PKCS#8/)
    }
  })

  it('converts a P-256 SEC1 "EC PRIVATE KEY" to PKCS#8 and notes it', async () => {
    const sec1 = key.privateKey.export({ type: 'sec1', format: 'pem' }) as string
    const draft = imported(await importFile('key.pem', sec1))
    expect(draft.fingerprint).toBe(key.fingerprint)
    expect(draft.notes.join(' ')).toMatch(/SEC1.*PKCS#8/)
    const pem = await storedPem(draft)
    expect(pem.startsWith(pemArmor('PRIVATE KEY').begin)).toBe(true)
  })

  it('reads a binary DER key file', async () => {
    const der = key.privateKey.export({ type: 'pkcs8', format: 'der' })
    const draft = imported(await importFile(`AuthKey_${KEY_ID}.der`, der))
    expect(draft.fingerprint).toBe(key.fingerprint)
  })

  it('reads a fastlane API key file and prefills both IDs', async () => {
    const json = fastlaneJson({
      key_id: KEY_ID.toLowerCase(),
      issuer_id: ISSUER_ID.toUpperCase(),
      key: key.pem,
      in_house: false,
    })
    const draft = imported(await importFile('api_key.json', json))
    expect(draft.fingerprint).toBe(key.fingerprint)
    expect(draft.prefill).toEqual({ keyId: KEY_ID, issuerId: ISSUER_ID, keyType: 'team' })
    expect(draft.keyIdFromFileName).toBeNull()
    expect(draft.notes.join(' ')).toMatch(/fastlane/)
  })

  it('reads fastlane JSON pasted as text, with a base64 key inside', async () => {
    const json = fastlaneJson({
      key_id: KEY_ID,
      issuer_id: ISSUER_ID,
      key: Buffer.from(key.pem).toString('base64'),
      is_key_content_base64: true,
    })
    const draft = imported(await paste(json))
    expect(draft.fingerprint).toBe(key.fingerprint)
    expect(draft.prefill.issuerId).toBe(ISSUER_ID)
    expect(draft.notes.join(' ')).toMatch(/base64/)
  })

  it('reads a hand-edited fastlane file with real line breaks inside the key', async () => {
    const text = `{\n  "key_id": "${KEY_ID}",\n  "issuer_id": "${ISSUER_ID}",\n  "key": "${key.pem}"\n}`
    const draft = imported(await paste(text))
    expect(draft.fingerprint).toBe(key.fingerprint)
    expect(draft.prefill.keyId).toBe(KEY_ID)
  })

  it('reads an In-House (Enterprise) fastlane file, and says what in_house means', async () => {
    const inHouse = imported(
      await importFile(
        'api_key.json',
        fastlaneJson({ key_id: KEY_ID, issuer_id: ISSUER_ID, key: key.pem, in_house: true }),
      ),
    )
    expect(inHouse.fingerprint).toBe(key.fingerprint)
    expect(inHouse.prefill).toEqual({ keyId: KEY_ID, issuerId: ISSUER_ID, keyType: 'team' })
    expect(inHouse.notes.join(' ')).toMatch(/In-House.*Enterprise/)
    const notes = inHouse.notes.filter((note) => /in_house/.test(note))
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(/App Store Connect will most likely refuse it/)

    for (const value of [false, undefined]) {
      const draft = imported(
        await paste(
          fastlaneJson({ key_id: KEY_ID, issuer_id: ISSUER_ID, key: key.pem, in_house: value }),
        ),
      )
      expect(draft.notes.join(' ')).not.toMatch(/In-House|in_house/)
    }
  })

  it('takes a fastlane file without an issuer ID for an individual key', async () => {
    const draft = imported(await paste(fastlaneJson({ key_id: KEY_ID, key: key.pem })))
    expect(draft.prefill).toEqual({ keyId: KEY_ID, issuerId: null, keyType: 'individual' })
  })

  it('leaves out malformed IDs from a fastlane file and says why', async () => {
    const draft = imported(
      await paste(fastlaneJson({ key_id: 'nope', issuer_id: 'also-nope', key: key.pem })),
    )
    expect(draft.prefill).toEqual({ keyId: null, issuerId: null, keyType: null })
    expect(draft.notes.join(' ')).toMatch(/key_id.*not a valid key ID/)
    expect(draft.notes.join(' ')).toMatch(/issuer_id.*not a valid issuer ID/)
  })

  it('accepts a file of exactly 16 KiB', async () => {
    const padded = key.pem + ' '.repeat(MAX_INPUT_BYTES - Buffer.byteLength(key.pem))
    expect(Buffer.byteLength(padded)).toBe(MAX_INPUT_BYTES)
    expect(imported(await importFile('padded.p8', padded)).fingerprint).toBe(key.fingerprint)
  })
})

describe('refused inputs', () => {
  async function refusalFor(text: string) {
    return refused(await importFile('input.p8', text))
  }

  it('refuses text that is not a key', async () => {
    const refusal = await refusalFor('just some notes\nabout a key\n')
    expect(refusal.code).toBe('intake.not_a_key')
    expect(refusal.message).toMatch(/not a private key/)
    expect(refusal.fix).toMatch(/AuthKey_XXXXXXXXXX\.p8/)
  })

  it('refuses an empty file', async () => {
    const refusal = await refusalFor('')
    expect(refusal.code).toBe('intake.not_a_key')
    expect(refusal.message).toMatch(/empty/)
  })

  it('tells an issuer ID or key ID pasted in place of the key', async () => {
    const issuer = refused(await paste(ISSUER_ID))
    expect(issuer).toMatchObject({ code: 'intake.not_a_key' })
    expect(issuer.message).toMatch(/issuer ID, not the private key/)
    const keyId = refused(await paste(` ${KEY_ID} `))
    expect(keyId.message).toMatch(/key ID, not the private key/)
  })

  it('refuses an empty clipboard', async () => {
    const refusal = refused(await paste('  \n'))
    expect(refusal.code).toBe('intake.clipboard_empty')
    expect(refusal.fix).toMatch(/copy all of it/)
  })

  it('refuses an X.509 certificate, with or without its header lines', async () => {
    const certificate = selfSignedCertificate()
    for (const text of [certificate, pemBody(certificate)]) {
      const refusal = await refusalFor(text)
      expect(refusal.code).toBe('intake.certificate')
      expect(refusal.message).toMatch(/certificate, not a private key/)
    }
  })

  it('refuses a public key', async () => {
    const publicPem = rsaKeys().publicPem
    const ecPublic = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    }) as string
    for (const text of [publicPem, ecPublic, pemBody(ecPublic)]) {
      const refusal = await refusalFor(text)
      expect(refusal.code).toBe('intake.public_key')
      expect(refusal.message).toMatch(/public key/)
    }
  })

  it('refuses RSA keys in PKCS#8 and PKCS#1, naming the format', async () => {
    const rsa = rsaKeys()
    const pkcs8 = await refusalFor(rsa.pkcs8)
    expect(pkcs8.code).toBe('intake.rsa_key')
    expect(pkcs8.message).toMatch(/RSA private key \(PKCS#8\).*P-256/)
    const pkcs1 = await refusalFor(rsa.pkcs1)
    expect(pkcs1.code).toBe('intake.rsa_key')
    expect(pkcs1.message).toMatch(/RSA private key \(PKCS#1\)/)
    expect((await refusalFor(pemBody(rsa.pkcs1))).code).toBe('intake.rsa_key')
  })

  it('refuses EC keys on other curves, naming the curve', async () => {
    const p384 = await refusalFor(ecPkcs8('P-384'))
    expect(p384.code).toBe('intake.wrong_curve')
    expect(p384.message).toMatch(/P-384 curve/)
    const k1 = await refusalFor(ecPkcs8('secp256k1'))
    expect(k1.code).toBe('intake.wrong_curve')
    expect(k1.message).toMatch(/secp256k1 curve/)
  })

  it('refuses a SEC1 key on another curve, with the curve and the openssl command', async () => {
    const refusal = await refusalFor(ecSec1('P-384'))
    expect(refusal.code).toBe('intake.wrong_curve')
    expect(refusal.message).toMatch(/P-384/)
    expect(refusal.fix).toContain('openssl pkcs8 -topk8 -nocrypt')
  })

  it('refuses a SEC1 block that cannot be converted, with the openssl command', async () => {
    const rsaInside = pemBody(rsaKeys().pkcs1)
    const refusal = await refusalFor(wrapPem('EC PRIVATE KEY', rsaInside))
    expect(refusal.code).toBe('intake.sec1_unreadable')
    expect(refusal.fix).toContain('openssl pkcs8 -topk8 -nocrypt')
  })

  it('refuses encrypted keys (PKCS#8 and legacy PEM encryption)', async () => {
    for (const text of [encryptedPkcs8(key), encryptedSec1(key)]) {
      const refusal = await refusalFor(text)
      expect(refusal.code).toBe('intake.encrypted_key')
      expect(refusal.message).toMatch(/passphrase/)
      expect(refusal.fix).toContain('openssl pkcs8 -topk8 -nocrypt')
    }
  })

  it('refuses an encrypted PKCS#8 body without header lines', async () => {
    expect((await refusalFor(pemBody(encryptedPkcs8(key)))).code).toBe('intake.encrypted_key')
  })

  it('never echoes text from the file, such as a PEM label, in a refusal', async () => {
    const label = 'ZEBRA SECRET 0123456789'
    for (const text of [wrapPem(label, 'AAAA'), wrapPem(`${label} PRIVATE KEY`, 'AAAA')]) {
      const refusal = await refusalFor(text)
      expect(['intake.not_a_key', 'intake.unsupported_key']).toContain(refusal.code)
      expect(`${refusal.message} ${refusal.fix ?? ''}`).not.toMatch(/ZEBRA|0123456789/)
    }
  })

  it('refuses other key types', async () => {
    const ed25519 = generateKeyPairSync('ed25519').privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string
    const refusal = await refusalFor(ed25519)
    expect(refusal.code).toBe('intake.unsupported_key')
    expect(refusal.message).toMatch(/Ed25519/)
    const ssh = await refusalFor(wrapPem('OPENSSH PRIVATE KEY', 'b3BlbnNzaC1rZXktdjEAAAAA'))
    expect(ssh.code).toBe('intake.unsupported_key')
    expect(ssh.message).toMatch(/OpenSSH/)
  })

  it('refuses truncated keys', async () => {
    const lines = key.pem.split('\n')
    const cutMidway = key.pem.slice(0, Math.floor(key.pem.length / 2))
    const lineRemoved = [...lines.slice(0, 2), ...lines.slice(3)].join('\n')
    const headerOnly = `${pemArmor('PRIVATE KEY').begin}\n`
    for (const text of [cutMidway, lineRemoved, headerOnly, pemBody(key.pem).slice(0, 80)]) {
      const refusal = await refusalFor(text)
      expect(refusal.code, text).toBe('intake.truncated')
      expect(refusal.message).toMatch(/incomplete/)
      expect(refusal.fix).toMatch(/whole file/)
    }
  })

  it('refuses a complete-looking key whose contents are damaged', async () => {
    const body = pemBody(key.pem)
    const badCharacters = body.replace(/[A-Za-z0-9+/]{10}/, '!!!!!!!!!!')
    const wrap = (text: string) => wrapPem('PRIVATE KEY', text)
    // A DER SEQUENCE of the right length holding nothing a key is made of.
    const garbage = Buffer.concat([Buffer.from([0x30, 0x20]), Buffer.alloc(32, 7)])
    for (const text of [wrap(badCharacters), wrap(garbage.toString('base64'))]) {
      const refusal = await refusalFor(text)
      expect(refusal.code).toBe('intake.damaged')
      expect(refusal.message).toMatch(/damaged/)
    }
  })

  it('refuses more than one private key', async () => {
    const refusal = await refusalFor(key.pem + p256().pem)
    expect(refusal.code).toBe('intake.multiple_keys')
  })

  it('refuses fastlane files it cannot use, saying what is wrong', async () => {
    const broken = refused(await importFile('api_key.json', '{"key_id": "2X9R4HXF34", '))
    expect(broken.code).toBe('intake.fastlane_json_invalid')
    expect(broken.message).toMatch(/not valid JSON/)

    const keyless = refused(await importFile('api_key.json', fastlaneJson({ key_id: KEY_ID })))
    expect(keyless.code).toBe('intake.fastlane_json_invalid')
    expect(keyless.message).toMatch(/no "key" field/)

    const pointer = refused(
      await importFile('api_key.json', fastlaneJson({ key_filepath: './AuthKey_X.p8' })),
    )
    expect(pointer.message).toMatch(/key_filepath/)

    const rsaInside = refused(
      await importFile('api_key.json', fastlaneJson({ key_id: KEY_ID, key: rsaKeys().pkcs8 })),
    )
    expect(rsaInside.code).toBe('intake.rsa_key')
  })

  it('refuses a file over 16 KiB without reading it', async () => {
    const path = join(folder, 'huge.p8')
    await writeFile(path, key.pem)
    // Sparse: reading it would take a while; the size alone decides.
    await truncate(path, 1024 * 1024 * 1024)
    const refusal = refused(await keys.importFromPath(path, 'file'))
    expect(refusal.code).toBe('intake.too_large')
    // Says what the limit is, never how large the file it did not read is.
    expect(refusal.message).toMatch(/over 16 KB/)
    expect(refusal.message).not.toMatch(/1024|1 GB|MB/)

    const justOver = refused(await importFile('over.p8', 'x'.repeat(MAX_INPUT_BYTES + 1)))
    expect(justOver.code).toBe('intake.too_large')
  })

  it('refuses clipboard text over 16 KiB', async () => {
    const refusal = refused(await paste(key.pem + ' '.repeat(MAX_INPUT_BYTES)))
    expect(refusal.code).toBe('intake.too_large')
  })

  it('refuses a missing file', async () => {
    const refusal = refused(await keys.importFromPath(join(folder, 'AuthKey_GONE.p8'), 'file'))
    expect(refusal.code).toBe('intake.file_missing')
    expect(refusal.message).toContain('AuthKey_GONE.p8')
  })

  it('refuses a folder', async () => {
    const path = join(folder, 'private_keys')
    await mkdir(path, { recursive: true })
    const refusal = refused(await keys.importFromPath(path, 'drop'))
    expect(refusal.code).toBe('intake.is_directory')
    expect(refusal.fix).toMatch(/inside it/)
  })

  it('refuses a named pipe instead of blocking on it', async () => {
    const path = join(folder, 'pipe.p8')
    const made = spawnSync('mkfifo', [path])
    expect(made.status).toBe(0)
    const refusal = refused(await keys.importFromPath(path, 'drop'))
    expect(refusal.code).toBe('intake.not_a_file')
  })

  it('refuses a named pipe even when a link with a key file’s name leads to it', async () => {
    const pipe = join(folder, 'swapped-pipe.p8')
    expect(spawnSync('mkfifo', [pipe]).status).toBe(0)
    const link = join(folder, 'AuthKey_LINKPIPE01.p8')
    await symlink(pipe, link)
    // Opened without blocking, then judged by what was opened: no writer is needed to get here.
    const refusal = refused(await keys.importFromPath(link, 'drop'))
    expect(refusal.code).toBe('intake.not_a_file')
  })

  it('reads a file only if its real name has one of the dialog’s extensions', async () => {
    for (const name of ['notes.docx', 'AuthKey_2X9R4HXF34', 'key.p8.zip']) {
      const refusal = refused(await importFile(name, key.pem))
      expect(refusal.code, name).toBe('intake.wrong_file_type')
      expect(refusal.message).toContain(name)
      expect(refusal.message).toMatch(/\.p8/)
    }
    for (const name of ['AuthKey_2X9R4HXF34.P8', 'key.pem', 'key.txt']) {
      expect((await importFile(name, key.pem)).status, name).toBe('imported')
    }
    // A link is judged by what it points to: a key-looking name on a link to another file is not
    // enough, and a link to a real key file is read as that file.
    const elsewhere = join(folder, 'shadow')
    await writeFile(elsewhere, key.pem)
    const disguised = join(folder, 'AuthKey_DISGUISE1.p8')
    await symlink(elsewhere, disguised)
    expect(refused(await keys.importFromPath(disguised, 'drop')).code).toBe(
      'intake.wrong_file_type',
    )
    const real = join(folder, 'AuthKey_2X9R4HXF34.p8')
    await writeFile(real, key.pem)
    const alias = join(folder, 'alias-to-key')
    await symlink(real, alias)
    const draft = imported(await keys.importFromPath(alias, 'drop'))
    expect(draft.fingerprint).toBe(key.fingerprint)
  })

  it('refuses a drop with no file behind it, saying so', async () => {
    for (const path of ['', '  ']) {
      const refusal = refused(await keys.importFromPath(path, 'drop'))
      expect(refusal.code).toBe('intake.not_on_disk')
      expect(refusal.message).toMatch(/isn’t a file on your disk/)
      expect(refusal.message).not.toMatch(/could not be read/)
      expect(refusal.fix).toMatch(/Save the key as a file first, then drop or choose it/)
    }
  })

  it('refuses PEMs that lost their BEGIN line by what their END line says they are', async () => {
    const rsa = rsaKeys().pkcs1
    const certificate = selfSignedCertificate()
    const withoutBegin = (pem: string, label: string) =>
      pem.replace(`${pemArmor(label).begin}\n`, '')
    expect((await refusalFor(withoutBegin(rsa, 'RSA PRIVATE KEY'))).code).toBe('intake.rsa_key')
    expect((await refusalFor(withoutBegin(certificate, 'CERTIFICATE'))).code).toBe(
      'intake.certificate',
    )
    const p384 = await refusalFor(withoutBegin(ecPkcs8('P-384'), 'PRIVATE KEY'))
    expect(p384.code).toBe('intake.wrong_curve')
    // Its first line of base64 went with it: not a key that can be read.
    const lines = key.pem.split('\n')
    const refusal = await refusalFor(lines.slice(2).join('\n'))
    expect(refusal.code).not.toBe('intake.not_a_key')
    expect(['intake.damaged', 'intake.truncated']).toContain(refusal.code)
  })

  it('refuses a relative path', async () => {
    const refusal = refused(await keys.importFromPath('AuthKey_2X9R4HXF34.p8', 'drop'))
    expect(refusal.code).toBe('intake.file_unreadable')
  })

  it('refuses a file it has no permission to read', async (context) => {
    const path = join(folder, 'locked.p8')
    await writeFile(path, key.pem, { mode: 0o000 })
    if (process.getuid?.() === 0) {
      // Root reads any file: run the same read as an unprivileged user instead.
      const read = await readAsNobody(path)
      if ('skip' in read) return context.skip(read.skip)
      expect(read).toEqual({
        code: 'intake.file_unreadable',
        message: expect.stringMatching(/not allowed to read locked\.p8/) as unknown,
      })
      return
    }
    const refusal = refused(await keys.importFromPath(path, 'file'))
    expect(refusal.code).toBe('intake.file_unreadable')
    expect(refusal.message).toMatch(/not allowed to read/)
  })

  it('keeps no draft for any refusal, even of an input holding the key', async () => {
    const drafts = createDraftStore({ now: clock.now })
    const added: KeyDraft[] = []
    const watched: DraftStore = {
      ...drafts,
      add: (input) => {
        const draft = drafts.add(input)
        added.push(draft)
        return draft
      },
    }
    const intake = createIntake({ clipboard, drafts: watched })
    const write = async (name: string, text: string) => {
      const path = join(folder, name)
      await writeFile(path, text)
      return path
    }
    const refusals: Array<() => Promise<IntakeOutcome>> = [
      async () => intake.importFromPath(await write('rsa.p8', rsaKeys().pkcs8), 'file'),
      async () => intake.importFromPath(await write('two.p8', key.pem + p256().pem), 'file'),
      async () => intake.importFromPath(await write('locked.p8', encryptedPkcs8(key)), 'drop'),
      async () => intake.importFromPath(await write('cut.p8', key.pem.slice(0, 120)), 'file'),
      async () => intake.importFromPath(join(folder, 'AuthKey_GONE123456.p8'), 'file'),
      () => intake.importFromPath('', 'drop'),
      () => {
        clipboard.text = `${key.pem}${key.pem}`
        return intake.importFromClipboard()
      },
      () => {
        clipboard.text = ' '
        return intake.importFromClipboard()
      },
    ]
    for (const refuse of refusals) {
      const outcome = await refuse()
      expect(outcome.status).toBe('refused')
      expect(added).toEqual([])
      expect(drafts.findByFingerprint(key.fingerprint)).toBeNull()
    }
    clipboard.text = key.pem
    expect((await intake.importFromClipboard()).status).toBe('imported')
    expect(added).toHaveLength(1)
    expect(drafts.findByFingerprint(key.fingerprint)).not.toBeNull()
  })
})

/**
 * Runs intake's `readKeyFile` as `nobody` (via setpriv) and returns the refusal it printed. The
 * checkout may sit where `nobody` cannot enter (a private temp folder), so the module runs from a
 * bundled copy next to the locked file; a machine where even that cannot work skips, saying why.
 */
async function readAsNobody(
  path: string,
): Promise<{ code: string; message: string } | { skip: string }> {
  if (spawnSync('setpriv', ['--version']).error) {
    return { skip: 'running as root, and setpriv (util-linux) is missing to read as another user' }
  }
  const bundle = join(folder, 'read-key-file.mjs')
  const intake = fileURLToPath(new URL('../../../src/main/keys/intake.ts', import.meta.url))
  await writeFile(bundle, await bundleOf(intake))
  await chmod(bundle, 0o644)
  await chmod(folder, 0o755)
  const script = [
    "import { access } from 'node:fs/promises'",
    `const unreachable = await access(${JSON.stringify(bundle)}).then(() => null, String)`,
    'if (unreachable) process.stdout.write(JSON.stringify({ unreachable }))',
    'else {',
    `  const { readKeyFile } = await import(${JSON.stringify(pathToFileURL(bundle).href)})`,
    `  const read = await readKeyFile(${JSON.stringify(path)})`,
    '  process.stdout.write(JSON.stringify(read.ok ? { read: true } : read.refusal))',
    '}',
  ].join('\n')
  const result = spawnSync(
    'setpriv',
    [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      process.execPath,
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: folder, encoding: 'utf8' },
  )
  if (!result.stdout && /Permission denied/i.test(result.stderr)) {
    return { skip: `nobody (uid 65534) may not run ${process.execPath}: ${result.stderr.trim()}` }
  }
  const printed = JSON.parse(result.stdout || 'null') as NobodysRead | null
  if (printed?.unreachable) {
    return {
      skip: `nobody (uid 65534) cannot enter the temp folder (${printed.unreachable}); set TMPDIR to a folder others may enter`,
    }
  }
  if (!printed?.code)
    throw new Error(`readKeyFile as nobody printed ${result.stdout}${result.stderr}`)
  return { code: printed.code, message: printed.message ?? '' }
}

interface NobodysRead {
  unreachable?: string
  code?: string
  message?: string
}

/** One ES module file holding `entry` and everything it imports except Node's own modules. */
async function bundleOf(entry: string): Promise<string> {
  const built = await build({
    configFile: false,
    logLevel: 'silent',
    ssr: { noExternal: true },
    build: { write: false, minify: false, ssr: entry, rollupOptions: { output: { format: 'es' } } },
  })
  const outputs = (Array.isArray(built) ? built : [built]) as Rolldown.RolldownOutput[]
  const chunk = outputs.flatMap((output) => output.output).find((item) => item.type === 'chunk')
  if (chunk?.type !== 'chunk') throw new Error(`Bundling ${entry} produced no module`)
  return chunk.code
}
