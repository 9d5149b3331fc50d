import type { RevokeReminder } from '../../shared/contract/key-life'
import type { KeyType } from '../../shared/keys'
import { API_KEYS_URL } from '../links'

/**
 * How to revoke a key that was replaced. Apple's API cannot revoke keys, and an old key that is
 * not revoked still works for whoever holds a copy of its file.
 */
export function revokeReminder(keyType: KeyType, keyId: string): RevokeReminder {
  const steps =
    keyType === 'team'
      ? [
          'In App Store Connect, open Users and Access → Integrations → App Store Connect API, Team Keys.',
          `Click Edit next to the Active keys, select key ${keyId}, and click Revoke Key.`,
          'Confirm with Revoke. A revoked key cannot be brought back.',
        ]
      : [
          'In App Store Connect, click your name at the top right and choose Edit Profile.',
          `Under Individual API Key, revoke key ${keyId}.`,
          'Confirm with Revoke. A revoked key cannot be brought back.',
        ]
  return { keyId, url: API_KEYS_URL, steps }
}
