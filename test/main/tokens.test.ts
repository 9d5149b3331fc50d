import { spawnSync } from 'node:child_process'
import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createKeys, importSigningKey } from '../../src/main/keys'
import { silentLogger } from '../../src/main/log'
import type { SigningIdentity, TokenSigner } from '../../src/main/tokens'
import { createTokenSigner } from '../../src/main/tokens'
import type { FakeClock } from './fakes'
import {
  createFakeClock,
  createMemoryClipboard,
  createMemorySecretStore,
  errorCodeOf,
} from './fakes'
import { ISSUER_ID, KEY_ID, p256 } from './keys/inputs'
import type { P256Key } from './keys/inputs'

const OTHER_ISSUER = '11111111-2222-3333-4444-555555555555'
const OTHER_KEY_ID = 'ABCDE12345'

let folder: string
let teamKey: P256Key
let otherKey: P256Key

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ascent-tokens-'))
  teamKey = p256()
  otherKey = p256()
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

function identityOf(key: P256Key, overrides: Partial<SigningIdentity> = {}): SigningIdentity {
  return {
    keyType: 'team',
    keyId: KEY_ID,
    issuerId: ISSUER_ID,
    fingerprint: key.fingerprint,
    ...overrides,
  }
}

function publicKeyOf(key: P256Key): KeyObject {
  return createPublicKey(key.privateKey)
}

/** A loader over test keys, counting its calls: the keys module's role in the app. */
function loaderFor(...keys: P256Key[]) {
  const loads: string[] = []
  const loadKey = async (identity: SigningIdentity): Promise<CryptoKey> => {
    loads.push(identity.fingerprint)
    const key = keys.find((candidate) => candidate.fingerprint === identity.fingerprint)
    if (!key) throw new Error('unknown key')
    return importSigningKey(key.privateKey)
  }
  return { loadKey, loads }
}

function decode(token: string) {
  return { header: decodeProtectedHeader(token), payload: decodeJwt(token) }
}

/** JOSE r‖s (64 bytes) → ASN.1 DER, written out here so openssl checks the signature on its own. */
function joseSignatureToDer(signature: Buffer): Buffer {
  const integer = (bytes: Buffer) => {
    let start = 0
    while (start < bytes.length - 1 && bytes[start] === 0) start += 1
    let value = bytes.subarray(start)
    if ((value[0] ?? 0) & 0x80) value = Buffer.concat([Buffer.from([0]), value])
    return Buffer.concat([Buffer.from([0x02, value.length]), value])
  }
  const body = Buffer.concat([integer(signature.subarray(0, 32)), integer(signature.subarray(32))])
  return Buffer.concat([Buffer.from([0x30, body.length]), body])
}

async function opensslVerifies(token: string, key: P256Key): Promise<boolean> {
  const [header, payload, signature] = token.split('.')
  const directory = await mkdtemp(join(folder, 'openssl-'))
  const signatureBytes = Buffer.from(signature ?? '', 'base64url')
  expect(signatureBytes.length).toBe(64)
  await writeFile(
    join(directory, 'pub.pem'),
    publicKeyOf(key).export({ type: 'spki', format: 'pem' }),
  )
  await writeFile(join(directory, 'input'), `${header}.${payload}`)
  await writeFile(join(directory, 'sig.der'), joseSignatureToDer(signatureBytes))
  const result = spawnSync(
    'openssl',
    ['dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.der', 'input'],
    { cwd: directory, encoding: 'utf8' },
  )
  await rm(directory, { recursive: true })
  return result.status === 0 && result.stdout.includes('Verified OK')
}

describe('the token Apple expects', () => {
  let clock: FakeClock
  let signer: TokenSigner

  beforeEach(() => {
    clock = createFakeClock(Date.UTC(2026, 4, 1, 12, 0, 0, 400))
    signer = createTokenSigner({ loadKey: loaderFor(teamKey, otherKey).loadKey, now: clock.now })
  })

  it('signs a team key token that meets every rule', async () => {
    const token = await signer.token(identityOf(teamKey))
    const { header, payload } = decode(token)
    expect(header).toEqual({ alg: 'ES256', kid: KEY_ID, typ: 'JWT' })
    const iat = Math.floor(clock.now() / 1000)
    expect(payload).toEqual({ iss: ISSUER_ID, iat, exp: iat + 19 * 60, aud: 'appstoreconnect-v1' })

    const verified = await jwtVerify(token, publicKeyOf(teamKey), {
      algorithms: ['ES256'],
      audience: 'appstoreconnect-v1',
      issuer: ISSUER_ID,
      currentDate: new Date(clock.now()),
    })
    expect(verified.protectedHeader.kid).toBe(KEY_ID)
    expect(await opensslVerifies(token, teamKey)).toBe(true)
  })

  it('signs an individual key token with sub "user" and no iss', async () => {
    const identity = identityOf(teamKey, { keyType: 'individual', issuerId: null })
    const token = await signer.token(identity)
    const { header, payload } = decode(token)
    expect(header).toEqual({ alg: 'ES256', kid: KEY_ID, typ: 'JWT' })
    const iat = Math.floor(clock.now() / 1000)
    expect(payload).toEqual({ sub: 'user', iat, exp: iat + 19 * 60, aud: 'appstoreconnect-v1' })
    expect('iss' in payload).toBe(false)
    await jwtVerify(token, publicKeyOf(teamKey), {
      algorithms: ['ES256'],
      audience: 'appstoreconnect-v1',
      subject: 'user',
      currentDate: new Date(clock.now()),
    })
    expect(await opensslVerifies(token, teamKey)).toBe(true)
  })

  it('fails verification with any other key, and when tampered with', async () => {
    const token = await signer.token(identityOf(teamKey))
    await expect(jwtVerify(token, publicKeyOf(otherKey))).rejects.toThrow()
    expect(await opensslVerifies(token, otherKey)).toBe(false)
    const [header, , signature] = token.split('.')
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(token), iss: OTHER_ISSUER })).toString(
      'base64url',
    )
    expect(await opensslVerifies(`${header}.${forged}.${signature}`, teamKey)).toBe(false)
  })

  it('never lets exp - iat exceed 1200 seconds', async () => {
    expect(() =>
      createTokenSigner({ loadKey: loaderFor().loadKey, now: clock.now, lifetimeSeconds: 1201 }),
    ).toThrow(/20 minutes/)
    expect(() =>
      createTokenSigner({ loadKey: loaderFor().loadKey, now: clock.now, lifetimeSeconds: 3600 }),
    ).toThrow()
    const longest = createTokenSigner({
      loadKey: loaderFor(teamKey).loadKey,
      now: clock.now,
      lifetimeSeconds: 1200,
    })
    const { payload } = decode(await longest.token(identityOf(teamKey)))
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(1200)
  })

  it('refuses a team identity without an issuer ID', async () => {
    expect(await errorCodeOf(() => signer.token(identityOf(teamKey, { issuerId: null })))).toBe(
      'tokens.issuer_missing',
    )
  })
})

describe('clock skew', () => {
  it("signs with Apple's time once a Date header was seen (local clock 5 minutes fast)", async () => {
    const appleNow = Date.UTC(2026, 4, 1, 12, 0, 0, 0)
    const clock = createFakeClock(appleNow + 5 * 60 * 1000)
    const signer = createTokenSigner({ loadKey: loaderFor(teamKey).loadKey, now: clock.now })
    const identity = identityOf(teamKey)

    const skewed = decode(await signer.token(identity)).payload
    expect((skewed.iat ?? 0) - appleNow / 1000).toBe(300)

    // Apple dated its answer 12:00:00; it arrived 400 ms later.
    const responseAt = clock.now() + 400
    const offset = signer.recordServerDate(identity, appleNow, responseAt)
    expect(offset).toBe(-300)
    expect(signer.clockOffsetSeconds(identity)).toBe(-300)

    const token = await signer.token(identity)
    const { payload } = decode(token)
    expect(Math.abs((payload.iat ?? 0) - appleNow / 1000)).toBeLessThanOrEqual(1)
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(1200)
    await jwtVerify(token, publicKeyOf(teamKey), {
      algorithms: ['ES256'],
      audience: 'appstoreconnect-v1',
      currentDate: new Date(appleNow),
    })
  })

  it("signs an individual key's token on Apple's time too (local clock 5 minutes fast)", async () => {
    const appleNow = Date.UTC(2026, 4, 1, 12, 0, 0, 0)
    const clock = createFakeClock(appleNow + 5 * 60 * 1000)
    const signer = createTokenSigner({ loadKey: loaderFor(teamKey).loadKey, now: clock.now })
    const identity = identityOf(teamKey, { keyType: 'individual', issuerId: null })
    expect(signer.recordServerDate(identity, appleNow, clock.now())).toBe(-300)

    const token = await signer.token(identity)
    const { header, payload } = decode(token)
    expect(header).toEqual({ alg: 'ES256', kid: KEY_ID, typ: 'JWT' })
    expect(Math.abs((payload.iat ?? 0) - appleNow / 1000)).toBeLessThanOrEqual(1)
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(1200)
    expect(payload.sub).toBe('user')
    expect(payload.aud).toBe('appstoreconnect-v1')
    expect('iss' in payload).toBe(false)
    await jwtVerify(token, publicKeyOf(teamKey), {
      algorithms: ['ES256'],
      audience: 'appstoreconnect-v1',
      subject: 'user',
      currentDate: new Date(appleNow),
    })
    expect(await opensslVerifies(token, teamKey)).toBe(true)
  })

  /** Two keys on a Mac whose clock runs 5 minutes ahead of Apple's. */
  function twoKeysOnAFastClock() {
    const appleNow = Date.UTC(2026, 4, 1, 12, 0, 0, 0)
    const clock = createFakeClock(appleNow + 5 * 60 * 1000)
    const signer = createTokenSigner({
      loadKey: loaderFor(teamKey, otherKey).loadKey,
      now: clock.now,
    })
    const measuring = identityOf(teamKey)
    const second = identityOf(otherKey, { keyId: OTHER_KEY_ID, issuerId: OTHER_ISSUER })
    return { appleNow, clock, signer, measuring, second }
  }

  it("signs another key's first token with the offset one key measured: it is this Mac's clock", async () => {
    const { appleNow, clock, signer, measuring, second } = twoKeysOnAFastClock()
    expect(signer.clockOffsetSeconds(second)).toBeNull()

    signer.recordServerDate(measuring, appleNow, clock.now())
    expect(signer.clockOffsetSeconds(second)).toBe(-300)
    const { payload } = decode(await signer.token(second))
    expect(Math.abs((payload.iat ?? 0) - appleNow / 1000)).toBeLessThanOrEqual(1)
    expect(payload.iss).toBe(OTHER_ISSUER)
  })

  it("drops every key's cached tokens when any key's answer moves the offset", async () => {
    const { appleNow, clock, signer, measuring, second } = twoKeysOnAFastClock()
    // Signed before any answer: on this Mac's fast clock.
    const early = await signer.token(second)
    expect((decode(early).payload.iat ?? 0) - appleNow / 1000).toBe(300)

    signer.recordServerDate(measuring, appleNow, clock.now())
    const corrected = await signer.token(second)
    expect(corrected).not.toBe(early)
    expect(Math.abs((decode(corrected).payload.iat ?? 0) - appleNow / 1000)).toBeLessThanOrEqual(1)
    expect(signer.counters().signatures).toBe(2)
  })

  it('keeps cached tokens when the offset barely moves', async () => {
    const clock = createFakeClock()
    const loader = loaderFor(teamKey)
    const signer = createTokenSigner({ loadKey: loader.loadKey, now: clock.now })
    const identity = identityOf(teamKey)
    expect(signer.clockOffsetSeconds(identity)).toBeNull()
    const first = await signer.token(identity)
    const offset = signer.recordServerDate(identity, clock.now() + 3000, clock.now())
    expect(offset).toBe(3)
    expect(await signer.token(identity)).toBe(first)
    expect(signer.clockOffsetSeconds(identity)).toBe(3)
    expect(signer.counters().signatures).toBe(1)
  })
})

describe('the token cache', () => {
  it('signs once for 50 requests, and again a minute before expiry', async () => {
    const clock = createFakeClock()
    const loader = loaderFor(teamKey)
    const signer = createTokenSigner({ loadKey: loader.loadKey, now: clock.now })
    const identity = identityOf(teamKey)

    const together = await Promise.all(Array.from({ length: 25 }, () => signer.token(identity)))
    const oneByOne: string[] = []
    for (let index = 0; index < 25; index += 1) oneByOne.push(await signer.token(identity))
    expect(new Set([...together, ...oneByOne]).size).toBe(1)
    expect(signer.counters()).toEqual({ signatures: 1, keyLoads: 1 })

    const exp = decode(together[0] ?? '').payload.exp ?? 0
    clock.set((exp - 61) * 1000)
    expect(await signer.token(identity)).toBe(together[0])
    clock.set((exp - 60) * 1000)
    const renewed = await signer.token(identity)
    expect(renewed).not.toBe(together[0])
    expect(signer.counters().signatures).toBe(2)
  })

  it('keeps one token per scope; the order of the scope does not matter', async () => {
    const clock = createFakeClock()
    const signer = createTokenSigner({ loadKey: loaderFor(teamKey).loadKey, now: clock.now })
    const identity = identityOf(teamKey)
    const scope = ['GET /v1/builds?filter[app]=1', 'GET /v1/apps']
    const scoped = await signer.token(identity, { scope })
    expect(decode(scoped).payload.scope).toEqual(['GET /v1/apps', 'GET /v1/builds?filter[app]=1'])
    expect(await signer.token(identity, { scope: [...scope].reverse() })).toBe(scoped)

    const other = await signer.token(identity, { scope: ['GET /v1/apps'] })
    const unscoped = await signer.token(identity)
    expect(new Set([scoped, other, unscoped]).size).toBe(3)
    expect('scope' in decode(unscoped).payload).toBe(false)
    expect(signer.counters().signatures).toBe(3)
    expect(await errorCodeOf(() => signer.token(identity, { scope: [' '] }))).toBe(
      'tokens.scope_invalid',
    )
  })

  it("never hands one team's token to another team, however often the user switches", async () => {
    const clock = createFakeClock()
    const signer = createTokenSigner({
      loadKey: loaderFor(teamKey, otherKey).loadKey,
      now: clock.now,
    })
    const identities = [
      identityOf(teamKey),
      identityOf(otherKey, { keyId: OTHER_KEY_ID, issuerId: OTHER_ISSUER }),
      // Same key ID, another private key (a re-issued file): a different key entirely.
      identityOf(otherKey),
      identityOf(teamKey, { keyType: 'individual', issuerId: null }),
      // Same key, typed into another team's issuer ID.
      identityOf(teamKey, { issuerId: OTHER_ISSUER }),
    ]
    const seen = new Map<string, number>()
    for (let round = 0; round < 5; round += 1) {
      for (const [index, identity] of identities.entries()) {
        const token = await signer.token(identity)
        const { header, payload } = decode(token)
        expect(header.kid).toBe(identity.keyId)
        expect(payload.iss).toBe(identity.issuerId ?? undefined)
        const key = identity.fingerprint === teamKey.fingerprint ? teamKey : otherKey
        await jwtVerify(token, publicKeyOf(key), { currentDate: new Date(clock.now()) })
        expect(seen.get(token) ?? index).toBe(index)
        seen.set(token, index)
      }
    }
    expect(seen.size).toBe(identities.length)
    expect(signer.counters().signatures).toBe(identities.length)
  })

  it('mints a fresh token once after a 401, shared by every request that failed', async () => {
    const clock = createFakeClock()
    const signer = createTokenSigner({ loadKey: loaderFor(teamKey).loadKey, now: clock.now })
    const identity = identityOf(teamKey)
    const rejected = await signer.token(identity)
    clock.advance(1000)
    for (let request = 0; request < 10; request += 1) signer.invalidate(identity, rejected)
    const fresh = await signer.token(identity)
    expect(fresh).not.toBe(rejected)
    signer.invalidate(identity, rejected)
    expect(await signer.token(identity)).toBe(fresh)
    expect(signer.counters().signatures).toBe(2)

    signer.invalidate(identity)
    expect(await signer.token(identity)).not.toBe(fresh)
    expect(signer.counters().signatures).toBe(3)
  })

  it('does not cache a token whose key was invalidated while it was being signed', async () => {
    const clock = createFakeClock()
    const signer = createTokenSigner({ loadKey: loaderFor(teamKey).loadKey, now: clock.now })
    const identity = identityOf(teamKey)
    const during = signer.token(identity)
    signer.invalidate(identity)
    const first = await during
    expect(await signer.token(identity)).not.toBe(first)
  })

  it("forgets the tokens of a retired key, not the Mac's clock offset", async () => {
    const clock = createFakeClock()
    const signer = createTokenSigner({ loadKey: loaderFor(teamKey).loadKey, now: clock.now })
    const identity = identityOf(teamKey)
    const before = await signer.token(identity)
    signer.recordServerDate(identity, clock.now() - 60_000, clock.now())
    const measured = await signer.token(identity)
    expect(measured).not.toBe(before)
    signer.forgetKey(teamKey.fingerprint)
    expect(signer.clockOffsetSeconds(identity)).toBe(-60)
    const after = await signer.token(identity)
    expect(after).not.toBe(measured)
    expect(decode(after).payload.iat).toBe(Math.floor((clock.now() - 60_000) / 1000))
  })
})

describe('with the keys module as the key loader', () => {
  it('reads the keychain once for a page of requests across scopes', async () => {
    const clock = createFakeClock()
    const secrets = createMemorySecretStore()
    secrets.items.set(`${ISSUER_ID}/${KEY_ID}`, teamKey.pem)
    const dataDir = join(folder, 'keys-loader')
    const setup = createKeys({
      secrets,
      clipboard: createMemoryClipboard(),
      now: clock.now,
      dataDir,
      log: silentLogger,
    })
    await setup.reconcile()
    await setup.adoptOrphan(`${ISSUER_ID}/${KEY_ID}`, 'Acme')

    const keys = createKeys({
      secrets,
      clipboard: createMemoryClipboard(),
      now: clock.now,
      dataDir,
      log: silentLogger,
    })
    await keys.reconcile()
    const signer = createTokenSigner({ loadKey: keys.loadSigningKey, now: clock.now })
    keys.onKeyRetired(signer.forgetKey)
    const identity = await keys.identityOf(KEY_ID)
    const readsBefore = secrets.calls.get

    const tokens = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        signer.token(identity, index % 2 ? { scope: ['GET /v1/apps'] } : {}),
      ),
    )
    expect(new Set(tokens).size).toBe(2)
    expect(secrets.calls.get - readsBefore).toBe(1)
    expect(keys.counters().keychainReads).toBe(1)
    expect(signer.counters().signatures).toBe(2)
    await jwtVerify(tokens[0] ?? '', publicKeyOf(teamKey), { currentDate: new Date(clock.now()) })

    await keys.remove(KEY_ID)
    expect(await errorCodeOf(() => signer.token(identity))).toBe('keys.unknown_key')
  })
})

describe('a token is always ES256 on P-256', () => {
  const others: Array<[string, () => KeyObject]> = [
    ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey],
    ['secp256k1', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey],
    ['RSA', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey],
    ['Ed25519', () => generateKeyPairSync('ed25519').privateKey],
    ['a P-256 public key', () => createPublicKey(teamKey.privateKey)],
  ]

  for (const [kind, make] of others) {
    it(`makes no signing key from ${kind}`, async () => {
      expect(await errorCodeOf(() => importSigningKey(make()))).toBe('keys.not_p256')
    })
  }

  it('makes a non-extractable ECDSA P-256 signing key from a P-256 key', async () => {
    const key = await importSigningKey(teamKey.privateKey)
    expect(key.algorithm).toEqual({ name: 'ECDSA', namedCurve: 'P-256' })
    expect(key.extractable).toBe(false)
    expect(key.usages).toEqual(['sign'])
  })

  it('signs nothing with a loaded key of another curve or algorithm', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey
    const hmac = await globalThis.crypto.subtle.generateKey(
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    const loaders: Array<() => Promise<CryptoKey>> = [
      () =>
        globalThis.crypto.subtle.importKey(
          'pkcs8',
          p384.export({ type: 'pkcs8', format: 'der' }),
          { name: 'ECDSA', namedCurve: 'P-384' },
          false,
          ['sign'],
        ),
      () => Promise.resolve(hmac),
    ]
    for (const loadKey of loaders) {
      const signer = createTokenSigner({ loadKey, now: Date.now })
      expect(await errorCodeOf(() => signer.token(identityOf(teamKey)))).toBe('tokens.key_not_p256')
      expect(signer.counters().signatures).toBe(0)
    }
  })
})
