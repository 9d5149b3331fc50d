#!/usr/bin/env node
// Waits until the Secret Service that run-with-keyring.js just started takes a write and a delete:
// a keyring that did not come up is reported once, with the platform's words, before any test.
import { AsyncEntry } from '@napi-rs/keyring'

const ATTEMPTS = 50
const PAUSE_MS = 100

let lastError = null
for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
  try {
    const entry = new AsyncEntry('Ascent-keyring-ready', `probe-${process.pid}`, {
      linux: { store: 'secret-service' },
    })
    await entry.setPassword('ready')
    await entry.deleteCredential()
    process.exit(0)
  } catch (error) {
    lastError = error
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS))
  }
}
console.error(
  `The private keyring did not answer: ${String(lastError)}\n` +
    'run-with-keyring.js starts D-Bus and gnome-keyring for tests and the demo; check that the dbus and gnome-keyring packages work here (`gnome-keyring-daemon --version`).',
)
process.exit(1)
