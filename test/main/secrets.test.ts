/**
 * The keychain store against the REAL Secret Service (or macOS Keychain). Run it through the
 * wrapper, which gives a private D-Bus session and an unlocked gnome-keyring:
 *   node test/run-with-keyring.js npx vitest run test/main/secrets.test.ts
 * Failure paths (a keyring that stops, locks, or was never there) run in child processes with
 * their own D-Bus session, so they never disturb the keyring the other tests use.
 */
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { IntakeOutcome } from '../../src/shared/contract/keys'
import type { TeamSummary, TeamsState } from '../../src/shared/contract/teams'
import { isAppError } from '../../src/main/errors'
import { createKeys } from '../../src/main/keys'
import { silentLogger } from '../../src/main/log'
import type { SecretStore } from '../../src/main/secrets'
import {
  createKeyringSecretStore,
  resolveKeychainService,
  toKeychainError,
} from '../../src/main/secrets'
import { createMemoryClipboard, errorCodeOf } from './fakes'
import type { AgentAnswer, AgentCommand } from './keys/keyring-agent'
import { ISSUER_ID, KEY_ID, p256 } from './keys/inputs'

const SERVICE = `Ascent-test-${randomBytes(6).toString('hex')}`
const OTHER_KEY_ID = 'ABCDE12345'

async function probe(): Promise<string | null> {
  if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) {
    return 'no D-Bus session: run through node test/run-with-keyring.js'
  }
  try {
    await createKeyringSecretStore({ service: SERVICE }).accounts()
    return null
  } catch (error) {
    return `no usable keychain here (${isAppError(error) ? error.code : String(error)})`
  }
}

const skipReason = await probe()
if (skipReason) console.warn(`secrets.test.ts skipped: ${skipReason}`)

const canRunChildSessions =
  process.platform === 'linux' &&
  ['dbus-run-session', 'gnome-keyring-daemon', 'gdbus'].every(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
  )

let folder: string

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ascent-secrets-'))
})

afterAll(async () => {
  if (!skipReason) {
    const store = createKeyringSecretStore({ service: SERVICE })
    for (const account of await store.accounts()) await store.delete(account)
  }
  await rm(folder, { recursive: true, force: true })
})

describe.skipIf(skipReason !== null)('the keyring SecretStore', () => {
  let store: SecretStore

  beforeAll(() => {
    store = createKeyringSecretStore({ service: SERVICE })
  })

  it('sets, gets, lists and deletes items under its own service only', async () => {
    const secret = p256().pem
    expect(await store.get('individual/AAAAAAAAAA')).toBeNull()
    await store.set('individual/AAAAAAAAAA', secret)
    await store.set(`${ISSUER_ID}/BBBBBBBBBB`, 'second')
    expect(await store.get('individual/AAAAAAAAAA')).toBe(secret)
    expect(await store.accounts()).toEqual([`${ISSUER_ID}/BBBBBBBBBB`, 'individual/AAAAAAAAAA'])
    expect(await createKeyringSecretStore({ service: `${SERVICE}-other` }).accounts()).toEqual([])

    await store.set('individual/AAAAAAAAAA', 'replaced')
    expect(await store.get('individual/AAAAAAAAAA')).toBe('replaced')
    expect(await store.delete('individual/AAAAAAAAAA')).toBe(true)
    expect(await store.delete('individual/AAAAAAAAAA')).toBe(false)
    expect(await store.get('individual/AAAAAAAAAA')).toBeNull()
    expect(await store.delete(`${ISSUER_ID}/BBBBBBBBBB`)).toBe(true)
    expect(await store.accounts()).toEqual([])
  })

  it('names its backend for the user', () => {
    expect(store.backend).toBe(process.platform === 'darwin' ? 'macOS Keychain' : 'Secret Service')
  })

  it('saves, reconciles, signs, and removes keys through the keys module', async () => {
    const dataDir = join(folder, 'module')
    const key = p256()
    const keyFile = join(folder, `AuthKey_${KEY_ID}.p8`)
    await writeFile(keyFile, key.pem)
    const open = () =>
      createKeys({
        secrets: store,
        clipboard: createMemoryClipboard(),
        now: Date.now,
        dataDir,
        log: silentLogger,
      })

    const first = open()
    expect((await first.reconcile()).teams).toEqual([])
    const outcome = await first.importFromPath(keyFile, 'file')
    if (outcome.status !== 'imported') throw new Error(JSON.stringify(outcome))
    await first.save({
      draftId: outcome.draft.draftId,
      keyType: 'team',
      issuerId: ISSUER_ID,
      keyId: KEY_ID,
      name: 'Real keyring',
      role: 'DEVELOPER',
    })
    expect(await store.get(`${ISSUER_ID}/${KEY_ID}`)).toBe(key.pem)
    expect(await readFile(join(dataDir, 'keys.json'), 'utf8')).not.toContain('PRIVATE KEY')

    const second = open()
    const state = await second.reconcile()
    expect(state.teams.map((team) => [team.id, team.status])).toEqual([[KEY_ID, 'verified']])
    expect(state.orphans).toEqual([])
    const identity = await second.identityOf(KEY_ID)
    await Promise.all(Array.from({ length: 10 }, () => second.loadSigningKey(identity)))
    expect(second.counters().keychainReads).toBe(1)

    // Metadata lost: the item is offered back with its IDs, and adopted again.
    await rm(join(dataDir, 'keys.json'))
    const third = open()
    expect((await third.reconcile()).orphans).toEqual([
      { account: `${ISSUER_ID}/${KEY_ID}`, keyId: KEY_ID, issuerId: ISSUER_ID, keyType: 'team' },
    ])
    const adopted = await third.adoptOrphan(`${ISSUER_ID}/${KEY_ID}`, 'Adopted')
    expect(adopted.status).toBe('unchecked')

    // Secret lost: the team needs a re-import.
    await store.delete(`${ISSUER_ID}/${KEY_ID}`)
    const fourth = open()
    expect((await fourth.reconcile()).teams[0]?.status).toBe('needs_reimport')
    expect(await errorCodeOf(() => fourth.loadSigningKey(identity))).toBe('keys.secret_missing')

    await fourth.remove(KEY_ID)
    expect((await open().reconcile()).teams).toEqual([])
    expect(await store.accounts()).toEqual([])
  })
})

describe('resolveKeychainService', () => {
  it('is Ascent unless a development build is told otherwise', () => {
    const warn = vi.fn()
    expect(resolveKeychainService({ packaged: false, requested: undefined, warn })).toBe('Ascent')
    expect(
      resolveKeychainService({ packaged: false, requested: 'Ascent-electron-test-1a2b', warn }),
    ).toBe('Ascent-electron-test-1a2b')
    expect(warn).not.toHaveBeenCalled()
  })

  it('ignores the override in a packaged app, and says so', () => {
    const warn = vi.fn()
    expect(
      resolveKeychainService({ packaged: true, requested: 'Ascent-electron-test', warn }),
    ).toBe('Ascent')
    expect(warn).toHaveBeenCalledOnce()
  })

  it('refuses a service that is not Ascent’s own', () => {
    for (const requested of ['com.apple.something', 'Ascent', 'Ascent-', 'Ascent-a b']) {
      expect(() => resolveKeychainService({ packaged: false, requested, warn: vi.fn() })).toThrow(
        /Ascent-/,
      )
    }
  })
})

describe('keychain errors', () => {
  it('maps platform failures to typed errors that never carry the platform text', () => {
    const cases: Array<[string, string]> = [
      ['Platform failure: DBus error: Failed to connect to socket /tmp/x', 'keychain.unavailable'],
      ['zbus error: org.freedesktop.DBus.Error.ServiceUnknown', 'keychain.unavailable'],
      [
        "Couldn't access platform storage: Secret Service: unlock prompt was dismissed",
        'keychain.locked',
      ],
      [
        'zbus error: org.freedesktop.Secret.Error.IsLocked: Cannot get secret of a locked object',
        'keychain.locked',
      ],
      ['User interaction is not allowed.', 'keychain.locked'],
      ['User canceled the operation.', 'keychain.denied'],
      ['The user name or passphrase you entered is not correct.', 'keychain.denied'],
    ]
    for (const [platformText, code] of cases) {
      const error = toKeychainError(new Error(platformText), 'Secret Service')
      expect(error.code, platformText).toBe(code)
      expect(error.message).not.toContain(platformText)
      expect(error.platformMessage).toBe(platformText)
    }
  })
})

/** A child process running the keys module in a D-Bus session of its own. */
class Agent {
  private readonly waiting: Array<{
    resolve: (answer: AgentAnswer) => void
    reject: (error: Error) => void
  }> = []
  private readonly child: ChildProcessWithoutNullStreams

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command, args, { env, cwd: process.cwd() })
    this.child.stderr.resume()
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.waiting.shift()?.resolve(JSON.parse(line) as AgentAnswer)
    })
    this.child.on('exit', (code) => {
      for (const waiter of this.waiting.splice(0)) {
        waiter.reject(new Error(`agent exited (${code})`))
      }
    })
  }

  private next(): Promise<AgentAnswer> {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }))
  }

  ready(): Promise<AgentAnswer> {
    return this.next()
  }

  send(command: AgentCommand): Promise<AgentAnswer> {
    const answer = this.next()
    this.child.stdin.write(`${JSON.stringify(command)}\n`)
    return answer
  }

  async value<T>(command: AgentCommand): Promise<T> {
    const answer = await this.send(command)
    if (!answer.ok) throw new Error(`${command.op} failed: ${answer.code} ${answer.message}`)
    return answer.value as T
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.stdin.end()
    await exited
  }
}

/** A session bus without service activation: a keyring that stops stays stopped. */
const BUS_CONFIG = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

const AGENT = ['--import', 'tsx', 'test/main/keys/keyring-agent.ts']

describe.skipIf(!canRunChildSessions)('when the keyring fails', () => {
  let scenario: string
  let keyFiles: string[]

  beforeAll(async () => {
    scenario = await mkdtemp(join(folder, 'scenario-'))
    await writeFile(join(scenario, 'bus.conf'), BUS_CONFIG)
    keyFiles = []
    for (const keyId of [KEY_ID, OTHER_KEY_ID]) {
      const path = join(scenario, `AuthKey_${keyId}.p8`)
      await writeFile(path, p256().pem)
      keyFiles.push(path)
    }
  })

  async function privateSession(name: string): Promise<{ agent: Agent; dataDir: string }> {
    const dataDir = join(scenario, name, 'data')
    const keyringHome = join(scenario, name, 'keyring')
    await mkdir(dataDir, { recursive: true })
    await mkdir(keyringHome, { recursive: true })
    const agent = new Agent(
      'dbus-run-session',
      [
        `--config-file=${join(scenario, 'bus.conf')}`,
        '--',
        'sh',
        '-c',
        'printf "\\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"',
        'sh',
        process.execPath,
        ...AGENT,
        SERVICE,
        dataDir,
      ],
      { ...process.env, XDG_DATA_HOME: keyringHome },
    )
    expect(await agent.ready()).toEqual({ ok: true, value: 'ready' })
    return { agent, dataDir }
  }

  async function importAndSave(agent: Agent, path: string, keyId: string) {
    const outcome = await agent.value<IntakeOutcome>({ op: 'import', path })
    if (outcome.status !== 'imported') throw new Error(JSON.stringify(outcome))
    return agent.send({
      op: 'save',
      draftId: outcome.draft.draftId,
      keyId,
      issuerId: ISSUER_ID,
      name: `Key ${keyId}`,
    })
  }

  it('gives a typed error and loses nothing when the keyring stops mid-session', async () => {
    const { agent, dataDir } = await privateSession('stopped')
    try {
      const saved = await importAndSave(agent, keyFiles[0] ?? '', KEY_ID)
      expect(saved.ok && (saved.value as TeamSummary).id).toBe(KEY_ID)
      const metadataBefore = await readFile(join(dataDir, 'keys.json'), 'utf8')

      expect(await agent.value<number>({ op: 'stopKeyring' })).toBeGreaterThan(0)

      const failed = await importAndSave(agent, keyFiles[1] ?? '', OTHER_KEY_ID)
      expect(failed).toMatchObject({ ok: false, code: 'keychain.unavailable' })
      expect(failed.ok || failed.message).toMatch(/cannot reach the Secret Service/)
      expect(await readFile(join(dataDir, 'keys.json'), 'utf8')).toBe(metadataBefore)
      expect(await readdir(dataDir)).toEqual(['keys.json'])

      expect(await agent.send({ op: 'remove', teamId: KEY_ID })).toMatchObject({
        ok: false,
        code: 'keychain.unavailable',
      })
      const state = await agent.value<TeamsState>({ op: 'reconcile' })
      expect(state.notices.map((notice) => notice.code)).toEqual(['keychain.unavailable'])
      expect(state.teams.map((team) => [team.id, team.status])).toEqual([[KEY_ID, 'unchecked']])
      expect(await readFile(join(dataDir, 'keys.json'), 'utf8')).toBe(metadataBefore)

      // The keyring comes back: the saved key is all there, and the failed one left no trace.
      await agent.value({ op: 'startKeyring' })
      const back = await agent.value<TeamsState>({ op: 'reconcile' })
      expect(back.notices).toEqual([])
      expect(back.orphans).toEqual([])
      expect(back.teams.map((team) => [team.id, team.status])).toEqual([[KEY_ID, 'verified']])
      expect(await agent.value({ op: 'load', teamId: KEY_ID })).toEqual({
        extractable: false,
        reads: 1,
      })
      expect(await agent.value({ op: 'accounts' })).toEqual([`${ISSUER_ID}/${KEY_ID}`])
    } finally {
      await agent.close()
    }
  })

  it('reports a locked keyring as locked, and saves nothing', async () => {
    const { agent, dataDir } = await privateSession('locked')
    try {
      expect((await importAndSave(agent, keyFiles[0] ?? '', KEY_ID)).ok).toBe(true)
      const metadataBefore = await readFile(join(dataDir, 'keys.json'), 'utf8')
      await agent.value({ op: 'lockKeyring' })

      const failed = await importAndSave(agent, keyFiles[1] ?? '', OTHER_KEY_ID)
      expect(failed).toMatchObject({ ok: false, code: 'keychain.locked' })
      expect(failed.ok || failed.message).toMatch(/is locked/)
      expect(await readFile(join(dataDir, 'keys.json'), 'utf8')).toBe(metadataBefore)

      const state = await agent.value<TeamsState>({ op: 'reconcile' })
      expect(state.notices.map((notice) => notice.code)).toEqual(['keychain.locked'])
      expect(state.teams.map((team) => [team.id, team.status])).toEqual([[KEY_ID, 'unchecked']])
      expect(await agent.send({ op: 'load', teamId: KEY_ID })).toMatchObject({
        ok: false,
        code: 'keychain.locked',
      })
      expect(await readFile(join(dataDir, 'keys.json'), 'utf8')).toBe(metadataBefore)
    } finally {
      await agent.close()
    }
  })

  it('reports no keyring at all (no D-Bus session) as unavailable at start-up', async () => {
    const dataDir = join(scenario, 'nobus')
    await mkdir(dataDir, { recursive: true })
    await writeFile(
      join(dataDir, 'keys.json'),
      JSON.stringify({
        version: 1,
        activeTeamId: KEY_ID,
        teams: [
          {
            id: KEY_ID,
            account: `${ISSUER_ID}/${KEY_ID}`,
            name: 'Kept',
            keyType: 'team',
            issuerId: ISSUER_ID,
            keyId: KEY_ID,
            role: null,
            fingerprint: 'a'.repeat(64),
            createdAt: '2026-01-01T00:00:00.000Z',
            lastValidatedAt: null,
            status: 'verified',
            statusDetail: null,
          },
        ],
      }),
    )
    const before = await readFile(join(dataDir, 'keys.json'), 'utf8')
    const agent = new Agent(process.execPath, [...AGENT, SERVICE, dataDir], {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(scenario, 'no-such-bus')}`,
    })
    try {
      expect(await agent.ready()).toEqual({ ok: true, value: 'ready' })
      const state = await agent.value<TeamsState>({ op: 'reconcile' })
      expect(state.notices.map((notice) => notice.code)).toEqual(['keychain.unavailable'])
      expect(state.teams.map((team) => team.status)).toEqual(['unchecked'])
      expect(await readFile(join(dataDir, 'keys.json'), 'utf8')).toBe(before)
      expect(await agent.send({ op: 'accounts' })).toMatchObject({
        ok: false,
        code: 'keychain.unavailable',
      })
    } finally {
      await agent.close()
    }
  })
})
