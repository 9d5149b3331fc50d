import type { webcrypto } from 'node:crypto'
import { SignJWT } from 'jose'
import type { KeyType } from '../shared/keys'
import { AppError } from './errors'

/**
 * App Store Connect tokens: ES256 JWTs, one cached per key and scope, signed with times corrected
 * by the offset of Apple's clock. The offset belongs to this Mac's clock, not to a key: the latest
 * measurement from any key's answer signs every key's tokens, so a key's first request of the
 * session is already on Apple's time. The signer never touches the keychain: it asks a key loader
 * (the keys module's `loadSigningKey`) for a non-extractable key.
 */

export const APPLE_AUDIENCE = 'appstoreconnect-v1'
/** Apple rejects `exp - iat` above 20 minutes. */
export const MAX_TOKEN_LIFETIME_SECONDS = 1200
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 19 * 60
/** A cached token is replaced this long before it expires. */
const REFRESH_BEFORE_EXPIRY_SECONDS = 60
/** A new clock offset further than this from the last one invalidates every cached token. */
const OFFSET_CHANGE_INVALIDATES_MS = 5_000

/** Which key signs: public facts only. Two identities differ if any field differs. */
export interface SigningIdentity {
  keyType: KeyType
  keyId: string
  /** The team's issuer ID; null for individual keys. */
  issuerId: string | null
  /** SHA-256 of the public key (SPKI DER), hex: tells two private keys with one key ID apart. */
  fingerprint: string
}

export type SigningKeyLoader = (identity: SigningIdentity) => Promise<webcrypto.CryptoKey>

export interface TokenSignerOptions {
  loadKey: SigningKeyLoader
  /** Milliseconds since the epoch, by this machine's clock. */
  now(): number
  /** `exp - iat`; at most 1200. Defaults to 19 minutes. */
  lifetimeSeconds?: number
}

export interface TokenRequest {
  /** Request strings such as `GET /v1/apps`; the token then works for those requests only. */
  scope?: readonly string[]
}

export interface TokenCounters {
  signatures: number
  keyLoads: number
}

export interface MintRequest {
  /** The requests the token allows. */
  scope: readonly string[]
  /** `exp - iat`, 61 to 1200 seconds. */
  lifetimeSeconds: number
}

export interface TokenSigner {
  /** A token for this key (and scope): the cached one, or a freshly signed one. */
  token: (identity: SigningIdentity, request?: TokenRequest) => Promise<string>
  /**
   * A token to hand out (Copy Token for curl): signed now with its own scope and lifetime, on
   * Apple's time as far as it is known, and never cached or used by Ascent itself.
   */
  mint: (identity: SigningIdentity, request: MintRequest) => Promise<string>
  /**
   * Drops the key's cached tokens, for the "401 mid-session → mint a fresh token once" path.
   * With `rejectedToken`, drops only that token, so many requests failing with the same token
   * share one replacement.
   */
  invalidate: (identity: SigningIdentity, rejectedToken?: string) => void
  /** Forgets every token of a key that was removed or replaced. */
  forgetKey: (fingerprint: string) => void
  /**
   * Records Apple's clock from the date of a response to `identity`'s request (its `Date` header,
   * in ms since the epoch), against the moment the response arrived. The offset is this Mac's, so
   * it applies to every key from then on. Returns it in whole seconds (Apple minus us).
   */
  recordServerDate: (identity: SigningIdentity, serverDateMs: number, responseAt: number) => number
  /**
   * The offset `identity`'s tokens are signed with, in whole seconds (Apple minus us): the latest
   * from any key's answer, as it is this Mac's clock; null before any answer.
   */
  clockOffsetSeconds: (identity: SigningIdentity) => number | null
  counters: () => TokenCounters
}

interface CachedToken {
  token: string
  exp: number
}

interface KeyState {
  fingerprint: string
  tokens: Map<string, CachedToken>
  pending: Map<string, Promise<string>>
  /** Bumped on every invalidation, so a signature already under way is not cached after it. */
  generation: number
}

export function createTokenSigner(options: TokenSignerOptions): TokenSigner {
  const lifetime = options.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS
  if (
    !Number.isInteger(lifetime) ||
    lifetime > MAX_TOKEN_LIFETIME_SECONDS ||
    lifetime <= REFRESH_BEFORE_EXPIRY_SECONDS
  ) {
    throw new AppError(
      'tokens.lifetime_invalid',
      `A token lifetime must be a whole number of seconds from ${REFRESH_BEFORE_EXPIRY_SECONDS + 1} to ${MAX_TOKEN_LIFETIME_SECONDS}; Apple rejects tokens that live longer than 20 minutes.`,
    )
  }
  const keys = new Map<string, KeyState>()
  /** Apple's clock minus this Mac's, in ms; null until the first answer with a `Date` header. */
  let offsetMs: number | null = null
  const counters: TokenCounters = { signatures: 0, keyLoads: 0 }

  function stateOf(identity: SigningIdentity): KeyState {
    const ref = identityKey(identity)
    let state = keys.get(ref)
    if (!state) {
      state = {
        fingerprint: identity.fingerprint,
        tokens: new Map(),
        pending: new Map(),
        generation: 0,
      }
      keys.set(ref, state)
    }
    return state
  }

  function clear(state: KeyState): void {
    state.tokens.clear()
    state.pending.clear()
    state.generation += 1
  }

  /** Apple's time now, in seconds, as well as we know it. */
  function appleSeconds(): number {
    return Math.floor((options.now() + (offsetMs ?? 0)) / 1000)
  }

  async function sign(
    identity: SigningIdentity,
    scope: string[],
    seconds = lifetime,
  ): Promise<CachedToken> {
    counters.keyLoads += 1
    const key = await options.loadKey(identity)
    if (!isP256SigningKey(key)) {
      throw new AppError(
        'tokens.key_not_p256',
        'App Store Connect accepts only ES256 tokens, signed with a P-256 key, and this key is not one. Ascent signed nothing with it.',
      )
    }
    const iat = appleSeconds()
    const exp = iat + seconds
    const jwt = new SignJWT(scope.length > 0 ? { scope } : {})
      .setProtectedHeader({ alg: 'ES256', kid: identity.keyId, typ: 'JWT' })
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setAudience(APPLE_AUDIENCE)
    if (identity.keyType === 'team') jwt.setIssuer(identity.issuerId ?? '')
    else jwt.setSubject('user')
    counters.signatures += 1
    return { token: await jwt.sign(key), exp }
  }

  return {
    async token(identity, request = {}) {
      if (identity.keyType === 'team' && !identity.issuerId) {
        throw new AppError(
          'tokens.issuer_missing',
          'A team key needs its issuer ID to sign tokens.',
        )
      }
      const scope = normalizeScope(request.scope)
      const scopeKey = scope.join('\n')
      const state = stateOf(identity)
      const cached = state.tokens.get(scopeKey)
      if (cached && appleSeconds() < cached.exp - REFRESH_BEFORE_EXPIRY_SECONDS) {
        return cached.token
      }
      const pending = state.pending.get(scopeKey)
      if (pending) return pending

      const generation = state.generation
      const signing = sign(identity, scope)
        .then((signed) => {
          if (state.generation === generation) state.tokens.set(scopeKey, signed)
          return signed.token
        })
        .finally(() => {
          if (state.pending.get(scopeKey) === signing) state.pending.delete(scopeKey)
        })
      state.pending.set(scopeKey, signing)
      return signing
    },

    async mint(identity, request) {
      const seconds = request.lifetimeSeconds
      if (!Number.isInteger(seconds) || seconds <= 60 || seconds > MAX_TOKEN_LIFETIME_SECONDS) {
        throw new AppError(
          'tokens.lifetime_invalid',
          `A token lifetime must be a whole number of seconds from 61 to ${MAX_TOKEN_LIFETIME_SECONDS}; Apple rejects tokens that live longer than 20 minutes.`,
        )
      }
      if (identity.keyType === 'team' && !identity.issuerId) {
        throw new AppError(
          'tokens.issuer_missing',
          'A team key needs its issuer ID to sign tokens.',
        )
      }
      return (await sign(identity, normalizeScope(request.scope), seconds)).token
    },

    invalidate(identity, rejectedToken) {
      const state = keys.get(identityKey(identity))
      if (!state) return
      if (rejectedToken === undefined) {
        clear(state)
        return
      }
      for (const [scopeKey, cached] of state.tokens) {
        if (cached.token === rejectedToken) state.tokens.delete(scopeKey)
      }
    },

    forgetKey(fingerprint) {
      for (const [ref, state] of keys) {
        if (state.fingerprint !== fingerprint) continue
        clear(state)
        keys.delete(ref)
      }
    },

    recordServerDate(_identity, serverMs, responseAt) {
      // Apple stamps `Date` when it answers, after its own work, and in whole seconds: against the
      // moment the answer arrived, this reads Apple's clock early, never late. That is the safe
      // side, since an `iat` in Apple's future is what gets a token refused.
      const measured = serverMs - responseAt
      // Every cached token, of every key, was signed with the old offset.
      if (Math.abs(measured - (offsetMs ?? 0)) > OFFSET_CHANGE_INVALIDATES_MS) {
        for (const state of keys.values()) clear(state)
      }
      offsetMs = measured
      return Math.round(measured / 1000)
    },

    clockOffsetSeconds() {
      return offsetMs === null ? null : Math.round(offsetMs / 1000)
    },

    counters: () => ({ ...counters }),
  }
}

/** ES256 is ECDSA on P-256: a key of another curve or algorithm signs nothing Apple accepts. */
function isP256SigningKey(key: webcrypto.CryptoKey): boolean {
  const algorithm: { name: string; namedCurve?: unknown } = key.algorithm
  return (
    algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256' && key.usages.includes('sign')
  )
}

/**
 * Everything that makes a token belong to one key, as one string: a token never crosses to
 * another identity. Also keys the client's per-key queues and figures.
 */
export function identityKey(identity: SigningIdentity): string {
  return [identity.keyType, identity.issuerId ?? '', identity.keyId, identity.fingerprint].join('|')
}

function normalizeScope(scope: readonly string[] | undefined): string[] {
  if (!scope) return []
  for (const entry of scope) {
    if (typeof entry !== 'string' || !entry.trim() || entry.includes('\n')) {
      throw new AppError(
        'tokens.scope_invalid',
        'Each token scope entry must be one request, such as "GET /v1/apps".',
      )
    }
  }
  return [...new Set(scope.map((entry) => entry.trim()))].sort()
}
