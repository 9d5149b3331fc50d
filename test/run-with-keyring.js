#!/usr/bin/env node
// Runs a command with a private, unlocked Secret Service: its own D-Bus session and gnome-keyring
// in a throwaway data folder, so tests and the demo never touch the user's keyring.
// On macOS (no Secret Service) the command runs as is, on the login Keychain: tests there use
// their own service names and delete their items, and so does the harness when it closes.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const command = process.argv.slice(2)
if (command.length === 0) {
  console.error('usage: node test/run-with-keyring.js <command> [args...]')
  process.exit(2)
}

if (process.platform !== 'linux' || process.env.ASCENT_PRIVATE_KEYRING === '1') {
  run(command[0], command.slice(1), process.env)
} else {
  for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      console.error(`${tool} is missing: install the Debian packages dbus and gnome-keyring.`)
      process.exit(1)
    }
  }
  const dataHome = mkdtempSync(join(tmpdir(), 'ascent-keyring-'))
  const ready = fileURLToPath(new URL('keyring-ready.js', import.meta.url))
  const script = [
    'if ! printf "\\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; then',
    '  echo "gnome-keyring-daemon did not start (its words are above): check that the gnome-keyring package works here." >&2',
    '  exit 1',
    'fi',
    `node "${ready}" && exec "$@"`,
  ].join('\n')
  const env = {
    ...process.env,
    XDG_DATA_HOME: dataHome,
    ASCENT_PRIVATE_KEYRING: '1',
    // The demo's browser window keeps to the session bus it was started from (scripts/demo).
    ASCENT_OUTER_DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '',
  }
  const cleanup = () => rmSync(dataHome, { recursive: true, force: true })
  run('dbus-run-session', ['--', 'sh', '-c', script, 'sh', ...command], env, cleanup)
}

function run(file, args, env, cleanup = () => {}) {
  const child = spawn(file, args, { stdio: 'inherit', env })
  child.on('error', (error) => {
    console.error(`${file} did not start: ${error.message}`)
    cleanup()
    process.exit(1)
  })
  const forward = (signal) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  child.on('exit', (code, signal) => {
    cleanup()
    process.exit(code ?? (signal ? 1 : 0))
  })
}
