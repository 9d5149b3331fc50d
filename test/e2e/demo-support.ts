/**
 * Runs the demo script as `npm run demo` does after its build (a keyring of its own through
 * run-with-keyring.js, then scripts/demo.ts), as this user or as another one through runuser, and
 * reads what it prints: the address, the key files by team, the lines it says later.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))

export interface DemoKey {
  team: string
  issuerId: string
  file: string
  path: string
  /** As the demo lists it, e.g. "Admin · team key". */
  about: string
}

export interface RunningDemo {
  url: string
  origin: string
  keyDir: string
  keys: DemoKey[]
  output: () => string
  /** The first line, printed or still to come, that matches; rejects if the demo ends first. */
  line(pattern: RegExp): Promise<RegExpMatchArray>
  /**
   * Ctrl+C as a terminal sends it, to the whole process group (the keyring's daemons too, which
   * makes run-with-keyring.js exit as interrupted); resolves once the demo has finished.
   */
  interrupt(): Promise<void>
  /** Once every process of the demo has closed its output: the demo has finished. */
  ended: Promise<void>
  /** The exit code of the outermost process (run-with-keyring.js, or runuser). */
  exited: Promise<number | null>
  /** Ends whatever is left (a failed test) and deletes the user's temporary home. */
  dispose(): void
}

export interface DemoRun {
  args?: string[]
  /** Run as this user through runuser (needs root); default: as this process's user. */
  user?: string
  env?: Record<string, string>
}

/** A user for the demo as "a normal user": ASCENT_DEMO_TEST_USER, else nobody. */
export function normalUser(): { name: string; uid: number; gid: number } | { problem: string } {
  const name = process.env.ASCENT_DEMO_TEST_USER || 'nobody'
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' })
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' })
  if (uid.status !== 0 || gid.status !== 0) return { problem: `there is no user ${name} here` }
  if (spawnSync('runuser', ['-u', name, '--', 'test', '-r', join(root, 'package.json')]).status) {
    return {
      problem: `${name} cannot read the checkout at ${root} (or runuser failed): put a copy where ${name} can read it`,
    }
  }
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolvePort(port))
    })
  })
}

export async function startDemo(run: DemoRun): Promise<RunningDemo> {
  // As `npm run demo` starts it: a fresh private keyring, not the one the tests run in.
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (
      value !== undefined &&
      !['DBUS_SESSION_BUS_ADDRESS', 'ASCENT_PRIVATE_KEYRING'].includes(name)
    )
      env[name] = value
  }
  Object.assign(env, run.env)
  const demo = [
    process.execPath,
    'test/run-with-keyring.js',
    process.execPath,
    '--import',
    'tsx',
    'scripts/demo.ts',
    ...(run.args ?? []),
  ]
  let home: string | null = null
  let child: ChildProcess
  if (run.user) {
    const user = normalUser()
    if ('problem' in user) throw new Error(user.problem)
    home = mkdtempSync(join(tmpdir(), 'ascent-demo-home-'))
    chownSync(home, user.uid, user.gid)
    child = spawn('runuser', ['-u', user.name, '--', 'env', `HOME=${home}`, ...demo], {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } else {
    child = spawn(demo[0] ?? '', demo.slice(1), {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  }

  let output = ''
  const lines: string[] = []
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = []
  const exited = new Promise<number | null>((resolveExit) =>
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? -1 : null))),
  )
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const reader = createInterface({ input: child.stdout! })
  const ended = new Promise<void>((resolveEnd) => reader.once('close', resolveEnd))
  reader.on('line', (text) => {
    output += `${text}\n`
    lines.push(text)
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(text)
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(match)
      }
    }
  })

  const line = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolveLine, reject) => {
      for (const text of lines) {
        const match = pattern.exec(text)
        if (match) return resolveLine(match)
      }
      waiters.push({ pattern, resolve: resolveLine })
      void exited.then((code) =>
        reject(
          new Error(`The demo exited (${code}) before printing ${pattern}. It printed:\n${output}`),
        ),
      )
    })

  const url = (await line(/^Ascent: (http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)$/))[1] ?? ''
  const keyDir = (await line(/^Key files: (.+)$/))[1] ?? ''
  const keys: DemoKey[] = []
  let team: { name: string; issuerId: string } | null = null
  for (const text of lines) {
    const heading = /^ {2}(\S.*?) {2,}issuer ID ([0-9a-f-]{36})/.exec(text)
    if (heading) team = { name: heading[1] ?? '', issuerId: heading[2] ?? '' }
    const key = /^ {4}(AuthKey_\w+\.p8) {2}(.+)$/.exec(text)
    if (key && team) {
      const file = key[1] ?? ''
      keys.push({
        team: team.name,
        issuerId: team.issuerId,
        file,
        path: join(keyDir, file),
        about: key[2] ?? '',
      })
    }
  }

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal)
    } catch {
      // Already gone.
    }
  }
  return {
    url,
    origin: new URL(url).origin,
    keyDir,
    keys,
    output: () => output,
    line,
    exited,
    ended,
    interrupt: () => {
      signalGroup('SIGINT')
      return ended
    },
    dispose: () => {
      if (child.exitCode === null && child.signalCode === null) signalGroup('SIGKILL')
      if (home) rmSync(home, { recursive: true, force: true })
    },
  }
}

/** A virtual display any local user may open (Xvfb -ac), on a number Xvfb picks itself. */
export async function startXvfb(): Promise<
  { display: string; stop: () => void } | { problem: string }
> {
  if (process.platform !== 'linux')
    return { problem: 'the demo’s own window is tested on Linux, under Xvfb' }
  if (spawnSync('sh', ['-c', 'command -v Xvfb']).status !== 0) {
    return {
      problem:
        'Xvfb is not installed (Debian: apt-get install xvfb), so the demo’s window has no display',
    }
  }
  const xvfb = spawn(
    'Xvfb',
    ['-displayfd', '3', '-ac', '-nolisten', 'tcp', '-screen', '0', '1280x800x24'],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    },
  )
  let said = ''
  xvfb.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()))
  const number = await new Promise<string | null>((resolveNumber) => {
    const fd3 = xvfb.stdio[3] as NodeJS.ReadableStream
    fd3.once('data', (chunk: Buffer) => resolveNumber(chunk.toString().trim()))
    xvfb.once('exit', () => resolveNumber(null))
  })
  if (number === null) return { problem: `Xvfb did not start: ${said.trim()}` }
  return { display: `:${number}`, stop: () => xvfb.kill('SIGTERM') }
}
