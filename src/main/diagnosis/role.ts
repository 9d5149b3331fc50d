import type { KeyType, Role } from '../../shared/keys'

/** What the check's reads found; null where the read could not tell (it failed otherwise). */
export interface RoleFindings {
  testFlight: boolean | null
  users: boolean | null
}

/**
 * The role to save with a key. Apple has no API that names a key's role, so it is inferred:
 * - a key that may list users is an Admin key;
 * - otherwise the role the user picked, if nothing the check saw contradicts it (an Admin key
 *   that may not list users, or any key that may not read TestFlight, which every role may);
 * - otherwise none (null: unknown).
 * Individual keys carry their user's access rather than a role of their own: always null.
 */
export function inferRole(
  keyType: KeyType,
  claimed: Role | null,
  found: RoleFindings,
): Role | null {
  if (keyType === 'individual') return null
  if (found.users === true) return 'ADMIN'
  if (claimed === null) return null
  if (found.testFlight === false) return null
  if (claimed === 'ADMIN' && found.users === false) return null
  return claimed
}

/**
 * Whether Apple confirmed the inferred role. Only Admin can be confirmed, by listing users: App
 * Manager and Developer differ only in what they may write, and the check makes no writes, so
 * those roles are only ever what the user said.
 */
export function isRoleVerified(role: Role | null, found: RoleFindings): boolean {
  return role === 'ADMIN' && found.users === true
}
