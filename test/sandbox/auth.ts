/**
 * Checks a bearer token the way App Store Connect does. Any failure is a plain "no": the caller
 * answers 401 NOT_AUTHORIZED without saying which rule failed, as Apple does.
 *
 * Rules: header `alg` ES256 and `typ` JWT; `kid` names a known, unrevoked key; ES256 signature
 * (JOSE r‖s form) by that key; `aud` the string `appstoreconnect-v1`; numeric `iat` and `exp` with
 * 0 < exp − iat ≤ 1200 s; not expired (`exp` ≤ now fails, no leeway); `iat` no more than
 * IAT_LEEWAY_SECONDS in the future; a team key needs `iss` equal to its team's issuer ID (compared
 * case-insensitively); an individual key needs `sub: "user"` and no `iss`; when `scope` is present
 * it must be an array of strings with one entry matching the request (see scopeAllows).
 */
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose'
import type { KeyObject } from 'node:crypto'

/** Tolerated clock skew for `iat` in the future; Ascent's diagnosis flags skew above 30 s. */
export const IAT_LEEWAY_SECONDS = 60
export const MAX_LIFETIME_SECONDS = 1200
export const AUDIENCE = 'appstoreconnect-v1'

export interface KeyRecord {
  keyId: string
  type: 'team' | 'individual'
  /** The team's issuer ID; the team an individual key's user belongs to. */
  issuerId: string
  publicKey: KeyObject
  revoked: boolean
}

export interface RequestTarget {
  method: string
  pathname: string
  query: URLSearchParams
}

const IGNORED_IN_SCOPE = new Set(['limit', 'cursor', 'sort'])
const VERIFIED_CACHE_ENTRIES = 2000

function comparableQuery(query: URLSearchParams): string {
  return [...query]
    .filter(([name]) => !IGNORED_IN_SCOPE.has(name))
    .map(([name, value]) => `${name}=${value}`)
    .sort()
    .join('&')
}

/**
 * A scope entry is `"<METHOD> <path>[?<query>]"`. It matches when method and path are equal and the
 * query parameters are the same set, in any order, leaving out `limit`, `cursor` and `sort`.
 */
export function scopeAllows(scope: readonly string[], target: RequestTarget): boolean {
  const wanted = comparableQuery(target.query)
  return scope.some((entry) => {
    const parsed = /^([A-Z]+) (\/[^?\s]*)(?:\?(\S*))?$/.exec(entry)
    if (!parsed) return false
    const [, method, pathname, query = ''] = parsed
    return (
      method === target.method.toUpperCase() &&
      pathname === target.pathname &&
      comparableQuery(new URLSearchParams(query)) === wanted
    )
  })
}

interface Claims {
  iss?: unknown
  sub?: unknown
  aud?: unknown
  iat?: unknown
  exp?: unknown
  scope?: unknown
}

export class TokenChecker {
  /** Signature checks are the costly part; a token seen before is not verified again. */
  private readonly verified = new Map<string, Claims>()

  constructor(private readonly keys: ReadonlyMap<string, KeyRecord>) {}

  /** The key ID named by a token's header, without any check (to match faults and log requests). */
  static claimedKeyId(authorization: string | undefined): string | null {
    const token = bearer(authorization)
    if (!token) return null
    try {
      const kid = decodeProtectedHeader(token).kid
      return typeof kid === 'string' ? kid : null
    } catch {
      return null
    }
  }

  /**
   * The key type a token's claims describe, without any check (for the request log): `iss` for a
   * team key, `sub: "user"` without `iss` for an individual key; null for neither or no token.
   */
  static claimedKeyType(authorization: string | undefined): 'team' | 'individual' | null {
    const token = bearer(authorization)
    if (!token) return null
    try {
      const claims = decodeJwt(token)
      if (typeof claims.iss === 'string') return 'team'
      return claims.sub === 'user' ? 'individual' : null
    } catch {
      return null
    }
  }

  /** The key that signed an acceptable token, or null. */
  async check(
    authorization: string | undefined,
    target: RequestTarget,
    nowMs: number,
  ): Promise<KeyRecord | null> {
    const token = bearer(authorization)
    if (!token) return null
    let header
    try {
      header = decodeProtectedHeader(token)
    } catch {
      return null
    }
    if (header.alg !== 'ES256' || header.typ !== 'JWT' || typeof header.kid !== 'string')
      return null
    const key = this.keys.get(header.kid)
    if (!key || key.revoked) return null
    const claims = await this.verify(token, key)
    if (!claims || !claimsAcceptable(claims, key, nowMs / 1000)) return null
    if (claims.scope !== undefined) {
      const scope = claims.scope
      if (!Array.isArray(scope) || !scope.every((entry) => typeof entry === 'string')) return null
      if (!scopeAllows(scope, target)) return null
    }
    return key
  }

  private async verify(token: string, key: KeyRecord): Promise<Claims | null> {
    const cacheKey = `${key.keyId}.${token}`
    const known = this.verified.get(cacheKey)
    if (known) return known
    try {
      const { payload } = await compactVerify(token, key.publicKey, { algorithms: ['ES256'] })
      const claims = JSON.parse(new TextDecoder().decode(payload)) as unknown
      if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return null
      if (this.verified.size >= VERIFIED_CACHE_ENTRIES) this.verified.clear()
      this.verified.set(cacheKey, claims)
      return claims
    } catch {
      return null
    }
  }
}

function bearer(authorization: string | undefined): string | null {
  return /^Bearer +(\S+)$/i.exec(authorization ?? '')?.[1] ?? null
}

function claimsAcceptable(claims: Claims, key: KeyRecord, now: number): boolean {
  const { iat, exp } = claims
  if (claims.aud !== AUDIENCE) return false
  if (typeof iat !== 'number' || typeof exp !== 'number') return false
  if (!Number.isFinite(iat) || !Number.isFinite(exp)) return false
  if (exp <= iat || exp - iat > MAX_LIFETIME_SECONDS) return false
  if (exp <= now || iat > now + IAT_LEEWAY_SECONDS) return false
  if (key.type === 'team') {
    return typeof claims.iss === 'string' && claims.iss.toLowerCase() === key.issuerId.toLowerCase()
  }
  return claims.sub === 'user' && claims.iss === undefined
}
