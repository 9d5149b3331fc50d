/**
 * `npm run demo`: Ascent's real UI and main-process modules in a Chromium app window, wired to
 * the Apple sandbox and to a private keyring started for the demo alone (run-with-keyring.js).
 * No Apple account needed; the user's own keyring is never touched.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createLogger } from '../src/main/log'
import type { Platform } from '../src/main/platform'
import { startHarness } from '../test/harness/server'
import { startSandbox, type Sandbox } from '../test/sandbox'

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '80' },
    port: { type: 'string' },
    'no-window': { type: 'boolean' },
  },
})

const browserCandidates = [
  process.env.ASCENT_CHROMIUM,
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
]

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0
}

function hasDisplay(): boolean {
  return (
    process.platform === 'darwin' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
  )
}

/** A real file picker where there is one (zenity); otherwise the sandbox's key files in turn. */
function demoDialog(sandbox: Sandbox): Platform['dialog'] {
  const keyFiles = sandbox.teams.flatMap((team) => team.keys.map((key) => key.p8Path ?? ''))
  let next = 0
  return {
    chooseKeyFile: () => {
      if (hasDisplay() && has('zenity')) {
        const picked = spawnSync('zenity', ['--file-selection', '--title=Choose an API key'], {
          encoding: 'utf8',
        })
        return Promise.resolve(picked.status === 0 ? picked.stdout.trim() : null)
      }
      const path = keyFiles[next++ % keyFiles.length] ?? null
      console.log(`“Choose File…” has no file picker here; answering with ${path}`)
      return Promise.resolve(path)
    },
    chooseSavePath: ({ title, defaultPath }) => {
      if (hasDisplay() && has('zenity')) {
        const picked = spawnSync(
          'zenity',
          ['--file-selection', '--save', `--title=${title}`, `--filename=${defaultPath}`],
          { encoding: 'utf8' },
        )
        return Promise.resolve(picked.status === 0 ? picked.stdout.trim() : null)
      }
      console.log(`The save dialog has no file picker here; answering with ${defaultPath}`)
      return Promise.resolve(defaultPath)
    },
  }
}

/** The real clipboard through xclip when it exists, so pasting a key works as on a Mac. */
function demoClipboard(): Platform['clipboard'] | undefined {
  if (!hasDisplay() || !has('xclip')) return undefined
  return {
    readText: () =>
      Promise.resolve(
        spawnSync('xclip', ['-o', '-selection', 'clipboard'], { encoding: 'utf8' }).stdout ?? '',
      ),
    writeText: (text) => {
      spawnSync('xclip', ['-i', '-selection', 'clipboard'], { input: text })
      return Promise.resolve()
    },
    clear: () => {
      spawnSync('xclip', ['-i', '-selection', 'clipboard'], { input: '' })
    },
  }
}

const sandbox = await startSandbox({ keyFiles: true, latencyMs: Number(values.latency) })
const harness = await startHarness({
  apiBase: sandbox.url,
  port: values.port ? Number(values.port) : undefined,
  dialog: demoDialog(sandbox),
  clipboard: demoClipboard(),
  log: createLogger(),
})

console.log(`Apple sandbox: ${sandbox.url} (${values.latency} ms latency)`)
for (const team of sandbox.teams) {
  console.log(`\n${team.name}  issuer ID ${team.issuerId}`)
  for (const key of team.keys) {
    const note = key.revoked ? '  (revoked)' : ''
    console.log(`  ${key.keyId}  ${key.role} ${key.type}${note}\n    ${key.p8Path}`)
  }
}
console.log(`\nAscent: ${harness.url}`)

const browser = browserCandidates.find((candidate) => candidate && existsSync(candidate))
let profile: string | null = null
if (!values['no-window'] && hasDisplay() && browser) {
  profile = mkdtempSync(join(tmpdir(), 'ascent-demo-browser-'))
  const window = spawn(
    browser,
    [
      `--app=${harness.url}`,
      `--user-data-dir=${profile}`,
      '--window-size=1100,720',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    { stdio: 'ignore' },
  )
  window.on('exit', () => void stop())
} else {
  console.log('No display (or no Chromium): open the URL above in a Chromium-based browser.')
}
console.log('Press Ctrl+C to stop.')

let stopping = false
async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  await harness.close()
  await sandbox.close()
  if (profile) rmSync(profile, { recursive: true, force: true })
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
