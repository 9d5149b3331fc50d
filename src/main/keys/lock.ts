import { randomBytes } from 'node:crypto'
import * as nodeFs from 'node:fs/promises'
import { hostname } from 'node:os'
import { AppError, errorCode } from '../errors'

/**
 * A lock file next to keys.json, so the app and the `ascent` command (two processes) never change
 * the saved keys at the same time: each change takes the lock, reads the file afresh, writes it,
 * and lets go. The lock file is created exclusively (`wx`) and names its owner; a lock whose
 * process is gone (a crash) is taken over, and so is one held implausibly long.
 */

export interface LockOptions {
  /** How long to wait for another process's lock before giving up; default 30 s. */
  waitMs?: number
  /** A lock older than this is taken over even if its process lives; default 10 minutes. */
  staleMs?: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  fs?: Pick<typeof nodeFs, 'open' | 'readFile' | 'unlink' | 'stat'>
}

interface Owner {
  pid: number
  host: string
  at: number
}

const DEFAULT_WAIT_MS = 30_000
const DEFAULT_STALE_MS = 10 * 60_000
/** A lock file still empty this long after it was made belongs to a process that died making it. */
const UNWRITTEN_STALE_MS = 2_000

export function lockBusy(): AppError {
  return new AppError(
    'keys.metadata_busy',
    'Another Ascent (the app or the ascent command) is changing the saved keys and has not finished. Nothing was changed; try again in a moment.',
  )
}

export async function withFileLock<T>(
  lockPath: string,
  change: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const fs = options.fs ?? nodeFs
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS
  // The nonce tells this lock from another this process took in the same millisecond.
  const mine = `${process.pid}\n${hostname()}\n${now()}\n${randomBytes(6).toString('hex')}\n`
  const started = now()
  let pause = 5

  /** How old a lock file is by the file system's clock. */
  async function ageOf(path: string): Promise<number> {
    const stats = await fs.stat(path).catch(() => null)
    return stats ? Date.now() - stats.mtimeMs : 0
  }

  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx', 0o600)
      try {
        await handle.writeFile(mine, 'utf8')
      } finally {
        await handle.close()
      }
      break
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error
    }
    const held = await fs.readFile(lockPath, 'utf8').catch(() => null)
    const owner = held === null ? null : parseOwner(held)
    // A lock just made may not hold its owner yet: unreadable ones count by the file's age.
    const abandoned = owner
      ? isAbandoned(owner, now(), staleMs)
      : held !== null && (await ageOf(lockPath)) > UNWRITTEN_STALE_MS
    if (abandoned) {
      // Only the lock that was read is removed: one another process took over since stays.
      const still = await fs.readFile(lockPath, 'utf8').catch(() => null)
      if (still === held) await fs.unlink(lockPath).catch(() => undefined)
      continue
    }
    if (now() - started >= waitMs) throw lockBusy()
    await sleep(pause)
    pause = Math.min(pause * 2, 100)
  }

  try {
    return await change()
  } finally {
    const held = await fs.readFile(lockPath, 'utf8').catch(() => null)
    if (held === mine) await fs.unlink(lockPath).catch(() => undefined)
  }
}

function parseOwner(text: string): Owner | null {
  const [pid, host, at] = text.split('\n')
  const owner = { pid: Number(pid), host: host ?? '', at: Number(at) }
  return Number.isInteger(owner.pid) && owner.pid > 0 && Number.isFinite(owner.at) ? owner : null
}

/** A lock of a process that is gone, or one held far too long. */
function isAbandoned(owner: Owner, now: number, staleMs: number): boolean {
  if (now - owner.at > staleMs) return true
  // Another machine's process cannot be asked (a data folder on a shared disk): wait it out.
  if (owner.host !== hostname()) return false
  return !isRunning(owner.pid)
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return errorCode(error) === 'EPERM'
  }
}
