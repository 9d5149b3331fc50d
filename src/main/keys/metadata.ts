import * as nodeFs from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { errorCode } from '../errors'
import { fileTimestamp, removeStaleTempFiles, writeFileAtomic } from '../files'

/**
 * `<dataDir>/keys.json`: everything about saved keys that is not secret, plus the active team.
 * The private key is never written here. Writes are atomic (../files.ts), so a crash leaves the
 * old file or the new one, never half.
 */

export const METADATA_FILE = 'keys.json'
export const METADATA_VERSION = 1

const teamRecord = z
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

const metadataDocument = z
  .object({
    version: z.literal(METADATA_VERSION),
    activeTeamId: z.string().nullable(),
    teams: z.array(teamRecord),
  })
  .strict()
  .refine((doc) => new Set(doc.teams.map((team) => team.id)).size === doc.teams.length, {
    message: 'duplicate team IDs',
  })

export type TeamRecord = z.infer<typeof teamRecord>
export type MetadataDocument = z.infer<typeof metadataDocument>

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

export async function loadMetadata(
  path: string,
  now: () => number,
  fs: MetadataFs = nodeFs,
): Promise<MetadataLoad> {
  await removeStaleTempFiles(path, fs)
  let text: string
  try {
    text = await fs.readFile(path, 'utf8')
  } catch (error) {
    // ENOTDIR: the data folder is not a folder, so there is no file to protect either.
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return { kind: 'missing' }
    return { kind: 'unreadable', error }
  }
  const document = parseDocument(text)
  if (document) return { kind: 'loaded', document }

  const movedTo = `${basename(path)}.corrupt-${fileTimestamp(now())}`
  try {
    await fs.rename(path, join(dirname(path), movedTo))
  } catch (error) {
    return { kind: 'unreadable', error }
  }
  return { kind: 'corrupt', movedTo }
}

function parseDocument(text: string): MetadataDocument | null {
  try {
    const parsed = metadataDocument.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export async function saveMetadata(
  path: string,
  document: MetadataDocument,
  fs: MetadataFs = nodeFs,
): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 })
  await writeFileAtomic(path, `${JSON.stringify(document, null, 2)}\n`, fs)
}
