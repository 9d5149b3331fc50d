import { randomBytes } from 'node:crypto'
import * as nodeFs from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { errorCode } from '../errors'

/**
 * `<dataDir>/keys.json`: everything about saved keys that is not secret, plus the active team.
 * The private key is never written here. Writes are atomic (temp file in the same folder,
 * fsync, rename, fsync the folder), so a crash leaves the old file or the new one, never half.
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

  const movedTo = `${basename(path)}.corrupt-${timestamp(now())}`
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

export async function writeFileAtomic(
  path: string,
  data: string,
  fs: MetadataFs = nodeFs,
): Promise<void> {
  const directory = dirname(path)
  const temp = join(directory, `${tempPrefix(path)}${randomBytes(6).toString('hex')}.tmp`)
  let handle: nodeFs.FileHandle | undefined
  try {
    handle = await fs.open(temp, 'wx', 0o600)
    await handle.writeFile(data, 'utf8')
    await handle.sync()
    await handle.close()
    handle = undefined
    await fs.rename(temp, path)
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await fs.unlink(temp).catch(() => undefined)
    throw error
  }
  await syncDirectory(directory, fs)
}

/** Makes the rename durable. Some file systems cannot fsync a folder; the rename stands anyway. */
async function syncDirectory(directory: string, fs: MetadataFs): Promise<void> {
  let handle: nodeFs.FileHandle | undefined
  try {
    handle = await fs.open(directory, 'r')
    await handle.sync()
  } catch {
    return
  } finally {
    await handle?.close().catch(() => undefined)
  }
}

function tempPrefix(path: string): string {
  return `.${basename(path)}.`
}

/** Temp files a crash between write and rename left behind. */
async function removeStaleTempFiles(path: string, fs: MetadataFs): Promise<void> {
  const prefix = tempPrefix(path)
  let names: string[]
  try {
    names = await fs.readdir(dirname(path))
  } catch {
    return
  }
  for (const name of names) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) {
      await fs.unlink(join(dirname(path), name)).catch(() => undefined)
    }
  }
}

/** `2026-05-01T12:00:00.123Z` → `20260501T120000123Z`: sortable and safe in file names. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '')
}
