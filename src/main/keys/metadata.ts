import * as nodeFs from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import type { TeamHistoryEntry } from '../../shared/contract/key-life'
import { DIAGNOSIS_CODES } from '../../shared/diagnosis'
import { errorCode } from '../errors'
import { fileTimestamp, removeStaleTempFiles, writeFileAtomic } from '../files'

/**
 * `<dataDir>/keys.json`: everything about saved keys that is not secret, plus the active team.
 * The private key is never written here. Writes are atomic (../files.ts), so a crash leaves the
 * old file or the new one, never half. The app and the command line both write it: every change
 * re-reads the file under a lock (./lock.ts), so neither overwrites what the other saved.
 */

export const METADATA_FILE = 'keys.json'
/** 2 added each team's history and last use, and the `blocked_agreements` status. */
export const METADATA_VERSION = 2
/** History entries kept per team; older ones are dropped first. */
export const MAX_HISTORY_ENTRIES = 50

const at = z.string().min(1).max(40)
const keyId = z.string().min(1).max(20)

const historyEntry: z.ZodType<TeamHistoryEntry> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('added'), at, via: z.enum(['app', 'cli', 'keychain']) }).strict(),
  z.object({ kind: z.literal('reimported'), at }).strict(),
  z.object({ kind: z.literal('rotated'), at, fromKeyId: keyId, toKeyId: keyId }).strict(),
  z
    .object({
      kind: z.literal('exported'),
      at,
      format: z.enum(['fastlane', 'p8', 'env']),
      to: z.enum(['file', 'clipboard', 'stdout']),
      path: z.string().max(4096).nullable(),
      via: z.enum(['app', 'cli']),
    })
    .strict(),
  z
    .object({
      kind: z.literal('checked'),
      at,
      code: z.enum(DIAGNOSIS_CODES),
      ok: z.boolean(),
      via: z.enum(['app', 'cli']),
    })
    .strict(),
])

const teamRecordV1 = z
  .object({
    id: z.string().min(1),
    account: z.string().min(1),
    name: z.string().min(1),
    keyType: z.enum(['team', 'individual']),
    issuerId: z.string().nullable(),
    keyId: z.string().min(1),
    role: z.enum(['ADMIN', 'APP_MANAGER', 'DEVELOPER']).nullable(),
    /** Absent in files written before it was kept: such roles count as the user's word. */
    roleVerified: z.boolean().optional(),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.string(),
    lastValidatedAt: z.string().nullable(),
    /** What Apple last said; `needs_reimport` is never stored, it is found at start-up. */
    status: z.enum(['verified', 'unchecked', 'rejected']),
    statusDetail: z.string().nullable(),
  })
  .strict()

/**
 * A saved key. `id` is the key ID it was first saved with: it stays the team's ID through
 * rotations, so the team keeps its cache and its place; `keyId` is the key in use now.
 */
const teamRecord = teamRecordV1
  .extend({
    roleVerified: z.boolean(),
    status: z.enum(['verified', 'unchecked', 'rejected', 'blocked_agreements']),
    lastUsedAt: z.string().nullable(),
    // Kept to MAX_HISTORY_ENTRIES when appended; a longer list is still a readable file.
    history: z.array(historyEntry),
  })
  .strict()

const uniqueIds = (doc: { teams: { id: string }[] }) =>
  new Set(doc.teams.map((team) => team.id)).size === doc.teams.length

const metadataDocumentV1 = z
  .object({
    version: z.literal(1),
    activeTeamId: z.string().nullable(),
    teams: z.array(teamRecordV1),
  })
  .strict()
  .refine(uniqueIds, { message: 'duplicate team IDs' })

const metadataDocument = z
  .object({
    version: z.literal(METADATA_VERSION),
    activeTeamId: z.string().nullable(),
    teams: z.array(teamRecord),
  })
  .strict()
  .refine(uniqueIds, { message: 'duplicate team IDs' })

export type TeamRecord = z.infer<typeof teamRecord>
export type MetadataDocument = z.infer<typeof metadataDocument>

/** A version 1 file, as version 2: no use recorded yet, the history starts with the adding. */
function upgrade(document: z.infer<typeof metadataDocumentV1>): MetadataDocument {
  return {
    version: METADATA_VERSION,
    activeTeamId: document.activeTeamId,
    teams: document.teams.map((team) => ({
      ...team,
      roleVerified: team.roleVerified ?? false,
      lastUsedAt: null,
      history: [{ kind: 'added', at: team.createdAt, via: 'app' }],
    })),
  }
}

export function emptyDocument(): MetadataDocument {
  return { version: METADATA_VERSION, activeTeamId: null, teams: [] }
}

/** The file operations used here; tests pass a wrapper that fails on purpose. */
export type MetadataFs = Pick<
  typeof nodeFs,
  'open' | 'rename' | 'unlink' | 'readFile' | 'mkdir' | 'readdir'
>

export type MetadataLoad =
  | { kind: 'loaded'; document: MetadataDocument }
  | { kind: 'missing' }
  /** Unparseable or invalid: moved aside to `movedTo` (a file name in the same folder). */
  | { kind: 'corrupt'; movedTo: string }
  /** Could not be read or moved aside: must not be overwritten. */
  | { kind: 'unreadable'; error: unknown }

/**
 * Reads keys.json for a change: first removes temp files a crash left behind and sets an invalid
 * file aside. Only under the metadata lock (./lock.ts), where no other writer can be mid-write.
 */
export async function loadMetadata(
  path: string,
  now: () => number,
  fs: MetadataFs = nodeFs,
): Promise<MetadataLoad> {
  await removeStaleTempFiles(path, fs)
  // ENOTDIR (in readMetadata): the data folder is not a folder, so there is no file to protect.
  const read = await readMetadata(path, fs)
  if (read.kind !== 'invalid') return read

  const movedTo = `${basename(path)}.corrupt-${fileTimestamp(now())}`
  try {
    await fs.rename(path, join(dirname(path), movedTo))
  } catch (error) {
    return { kind: 'unreadable', error }
  }
  return { kind: 'corrupt', movedTo }
}

function parseDocument(text: string): MetadataDocument | null {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return null
  }
  const current = metadataDocument.safeParse(json)
  if (current.success) return current.data
  const older = metadataDocumentV1.safeParse(json)
  return older.success ? upgrade(older.data) : null
}

export type MetadataRead =
  | { kind: 'loaded'; document: MetadataDocument }
  | { kind: 'missing' }
  /** Unparseable or invalid; `loadMetadata`, under the lock, sets it aside. */
  | { kind: 'invalid' }
  | { kind: 'unreadable'; error: unknown }

/**
 * Reads keys.json and changes nothing, so it is safe while another process may be writing it
 * (writes are atomic renames: a read sees the old file or the new one).
 */
export async function readMetadata(path: string, fs: MetadataFs = nodeFs): Promise<MetadataRead> {
  let text: string
  try {
    text = await fs.readFile(path, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return { kind: 'missing' }
    return { kind: 'unreadable', error }
  }
  const document = parseDocument(text)
  return document ? { kind: 'loaded', document } : { kind: 'invalid' }
}

export async function saveMetadata(
  path: string,
  document: MetadataDocument,
  fs: MetadataFs = nodeFs,
): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 })
  await writeFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`, fs)
}
