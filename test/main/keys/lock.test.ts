/**
 * keys.json is shared by the app and the `ascent` command: two processes writing it at once lose
 * nothing (each change takes the lock and reads the file afresh), and a lock left by a process
 * that died is taken over.
 */
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withFileLock } from '../../../src/main/keys/lock'
import { createKeyringSecretStore } from '../../../src/main/secrets'
import { errorCodeOf } from '../fakes'

let folder: string

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ascent-lock-'))
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

/** The PID of a process that has exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''])
    child.on('error', reject)
    child.on('exit', () => resolve(child.pid ?? 0))
  })
}

describe('the lock file', () => {
  it('lets one change in at a time, in this process too', async () => {
    const lock = join(folder, 'serial.lock')
    const order: string[] = []
    const change = (name: string) =>
      withFileLock(lock, async () => {
        order.push(`${name} in`)
        await new Promise((resolve) => setTimeout(resolve, 20))
        order.push(`${name} out`)
      })
    await Promise.all([change('a'), change('b')])
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out'])
    await expect(stat(lock)).rejects.toThrow()
  })

  it('takes over a lock whose process is gone, and one held implausibly long', async () => {
    const lock = join(folder, 'stale.lock')
    await writeFile(lock, `${await deadPid()}\n${hostname()}\n${Date.now()}\n`)
    expect(await withFileLock(lock, () => Promise.resolve('ran'), { waitMs: 200 })).toBe('ran')

    // This very process holds it, for longer than the stale limit.
    await writeFile(lock, `${process.pid}\n${hostname()}\n0\n`)
    expect(await withFileLock(lock, () => Promise.resolve('ran'), { waitMs: 200 })).toBe('ran')
  })

  it('gives up with keys.metadata_busy on a live lock, and leaves it alone', async () => {
    const lock = join(folder, 'busy.lock')
    const held = `${process.pid}\n${hostname()}\n${Date.now()}\n`
    await writeFile(lock, held)
    const code = await errorCodeOf(() =>
      withFileLock(lock, () => Promise.resolve('ran'), { waitMs: 50 }),
    )
    expect(code).toBe('keys.metadata_busy')
    expect(await readFile(lock, 'utf8')).toBe(held)
    await rm(lock)
  })

  it('waits for a lock still being written, and takes over one left empty', async () => {
    const lock = join(folder, 'empty.lock')
    await writeFile(lock, '')
    expect(
      await errorCodeOf(() => withFileLock(lock, () => Promise.resolve(), { waitMs: 50 })),
    ).toBe('keys.metadata_busy')
    const old = new Date(Date.now() - 10_000)
    await utimes(lock, old, old)
    expect(await withFileLock(lock, () => Promise.resolve('ran'), { waitMs: 200 })).toBe('ran')
  })
})

describe('two processes writing keys.json at once', () => {
  const WRITER = ['--import', 'tsx', 'test/main/keys/metadata-writer.ts']
  const COUNT = 6

  function writer(service: string, dataDir: string, prefix: string) {
    return new Promise<{ ok: boolean; saved: string[]; error?: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        [...WRITER, service, dataDir, prefix, String(COUNT)],
        { cwd: process.cwd(), env: process.env },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`writer failed: ${stderr}`))
          else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as never)
        },
      )
    })
  }

  it('keeps every team both saved: nothing lost, nothing corrupt', async () => {
    const service = `Ascent-lock-${randomBytes(4).toString('hex')}`
    const dataDir = await mkdtemp(join(folder, 'data-'))
    const secrets = createKeyringSecretStore({ service })
    try {
      const [first, second] = await Promise.all([
        writer(service, dataDir, 'AAAAAA'),
        writer(service, dataDir, 'BBBBBB'),
      ])
      expect(first).toMatchObject({ ok: true })
      expect(second).toMatchObject({ ok: true })
      const document = JSON.parse(await readFile(join(dataDir, 'keys.json'), 'utf8')) as {
        version: number
        teams: { keyId: string; name: string }[]
      }
      expect(document.version).toBe(2)
      const expected = [...first.saved, ...second.saved].sort()
      expect(expected).toHaveLength(2 * COUNT)
      expect(document.teams.map((team) => team.keyId).sort()).toEqual(expected)
      expect(document.teams.every((team) => team.name.endsWith('(renamed)'))).toBe(true)
      expect((await secrets.accounts()).length).toBe(2 * COUNT)
      await expect(stat(join(dataDir, 'keys.json.lock'))).rejects.toThrow()
    } finally {
      for (const account of await secrets.accounts()) await secrets.delete(account)
    }
  })
})
