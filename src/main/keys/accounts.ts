import type { KeyType } from '../../shared/keys'
import {
  looksLikeIssuerId,
  looksLikeKeyId,
  normalizeIssuerId,
  normalizeKeyId,
} from '../../shared/keys'

/**
 * How a key is named in the keychain and in the app.
 *
 * Keychain item: service `Ascent`, account `<issuerId>/<KEYID>` for a team key (issuer ID lower
 * case, key ID upper case) and `individual/<KEYID>` for an individual key. The account carries
 * the IDs, so an item whose metadata was lost can be offered back with them filled in.
 *
 * Team ID: the key ID, upper case. A key ID names exactly one private key at Apple, so it is
 * stable across renames, re-imports and orphan adoption, and it is safe in file names and URLs
 * (which the account, with its `/`, is not). Ascent never keeps two saved keys with one key ID.
 */

export interface KeyIdentityIds {
  keyType: KeyType
  keyId: string
  /** Null for individual keys. */
  issuerId: string | null
}

const INDIVIDUAL = 'individual'

export function accountFor(ids: KeyIdentityIds): string {
  const keyId = normalizeKeyId(ids.keyId)
  if (ids.keyType === 'individual') return `${INDIVIDUAL}/${keyId}`
  if (!ids.issuerId) throw new Error('A team key needs an issuer ID')
  return `${normalizeIssuerId(ids.issuerId)}/${keyId}`
}

/** The IDs an account names, or null for an account Ascent did not write. */
export function parseAccount(account: string): KeyIdentityIds | null {
  const [owner, keyId, ...rest] = account.split('/')
  if (rest.length > 0 || !owner || !keyId || !looksLikeKeyId(keyId)) return null
  if (keyId !== normalizeKeyId(keyId)) return null
  if (owner === INDIVIDUAL) return { keyType: 'individual', keyId, issuerId: null }
  if (!looksLikeIssuerId(owner) || owner !== normalizeIssuerId(owner)) return null
  return { keyType: 'team', keyId, issuerId: owner }
}

export function teamIdFor(keyId: string): string {
  return normalizeKeyId(keyId)
}
