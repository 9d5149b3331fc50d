/**
 * A child process for test/main/secrets.test.ts: runs the keys module over the real keyring in
 * whatever D-Bus session it was started in, and takes commands as JSON lines on stdin (one JSON
 * answer per line on stdout). Lets the test stop or lock that session's keyring without touching
 * the keyring the other tests use.
 *
 * Usage: node --import tsx test/main/keys/keyring-agent.ts <service> <dataDir>
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createInterface } from 'node:readline'
import { isAppError } from '../../../src/main/errors'
import { createKeyringSecretStore } from '../../../src/main/secrets'
import { createHeadlessKeys } from '../fakes'

export type AgentCommand =
  | { op: 'import'; path: string }
  | { op: 'save'; draftId: string; keyId: string; issuerId: string; name: string }
  | { op: 'reconcile' }
  | { op: 'remove'; teamId: string }
  | { op: 'load'; teamId: string }
  | { op: 'accounts' }
  | { op: 'stopKeyring' }
  | { op: 'startKeyring' }
  | { op: 'lockKeyring' }

export type AgentAnswer =
  { ok: true; value: unknown } | { ok: false; code: string; message: string }

const [service = 'Ascent-test', dataDir = '.'] = process.argv.slice(2)
const secrets = createKeyringSecretStore({ service })
let keys = createHeadlessKeys(dataDir, secrets)

/** The process that owns the Secret Service name on this session's bus. */
function keyringPid(): number | null {
  const result = spawnSync(
    'gdbus',
    [
      'call',
      '--session',
      '--dest',
      'org.freedesktop.DBus',
      '--object-path',
      '/org/freedesktop/DBus',
      '--method',
      'org.freedesktop.DBus.GetConnectionUnixProcessID',
      'org.freedesktop.secrets',
    ],
    { encoding: 'utf8' },
  )
  const match = /uint32 (\d+)/.exec(result.stdout)
  return match?.[1] ? Number(match[1]) : null
}

async function stopKeyring(): Promise<number> {
  const pid = keyringPid()
  if (pid === null) throw new Error('no keyring running in this session')
  process.kill(pid, 'SIGTERM')
  for (let attempt = 0; attempt < 100 && keyringPid() !== null; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return pid
}

async function run(command: AgentCommand): Promise<unknown> {
  switch (command.op) {
    case 'import':
      return keys.importFromPath(command.path, 'file')
    case 'save':
      return keys.save({
        draftId: command.draftId,
        keyType: 'team',
        issuerId: command.issuerId,
        keyId: command.keyId,
        name: command.name,
        role: null,
      })
    case 'reconcile':
      keys = createHeadlessKeys(dataDir, secrets)
      return keys.reconcile()
    case 'remove':
      return keys.remove(command.teamId)
    case 'load': {
      const key = await keys.loadSigningKey(await keys.identityOf(command.teamId))
      return { extractable: key.extractable, reads: keys.counters().keychainReads }
    }
    case 'accounts':
      return secrets.accounts()
    case 'stopKeyring':
      return stopKeyring()
    case 'startKeyring':
      execFileSync('sh', [
        '-c',
        'printf "\\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
      ])
      return keyringPid()
    case 'lockKeyring':
      return execFileSync(
        'gdbus',
        [
          'call',
          '--session',
          '--dest',
          'org.freedesktop.secrets',
          '--object-path',
          '/org/freedesktop/secrets',
          '--method',
          'org.freedesktop.Secret.Service.Lock',
          "['/org/freedesktop/secrets/collection/login']",
        ],
        { encoding: 'utf8' },
      )
  }
}

async function answer(line: string): Promise<AgentAnswer> {
  try {
    return { ok: true, value: await run(JSON.parse(line) as AgentCommand) }
  } catch (error) {
    return isAppError(error)
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: 'agent.error', message: String(error) }
  }
}

const lines = createInterface({ input: process.stdin })
let queue = Promise.resolve()
lines.on('line', (line) => {
  queue = queue.then(async () => {
    process.stdout.write(`${JSON.stringify(await answer(line))}\n`)
  })
})
lines.on('close', () => {
  void queue.then(() => keys.dispose()).then(() => process.exit(0))
})
process.stdout.write(`${JSON.stringify({ ok: true, value: 'ready' })}\n`)
