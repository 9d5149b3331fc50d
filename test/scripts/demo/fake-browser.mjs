#!/usr/bin/env node
// A stand-in for Chromium in the demo window's tests. It records how it was started (arguments,
// the profile's preferences) as one JSON line in --fake-record, then acts as --fake-mode says:
//   open             loads the --app page (the test's server sees it) and stays until SIGTERM
//   open-then-close  loads the page, then exits 0, as when the person closes the window
//   open-then-crash  loads the page, then exits 5 with a last word on stderr
//   crash            exits 5 with a last word on stderr before loading anything
//   no-display       exits 1 as Chromium does with no X server
//   sandbox          exits 1 as Chromium does when its sandbox cannot start, unless --no-sandbox
import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const args = process.argv.slice(2)
const option = (name) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
const profile = option('user-data-dir') ?? ''
let preferences = null
try {
  preferences = JSON.parse(readFileSync(join(profile, 'Default', 'Preferences'), 'utf8'))
} catch {
  preferences = null
}
appendFileSync(option('fake-record') ?? '/dev/null', `${JSON.stringify({ args, preferences })}\n`)

const mode = option('fake-mode')
const open = () => fetch(option('app') ?? '').then((response) => response.text())

if (mode === 'no-display') {
  console.error(
    'ERROR:ui/ozone/platform/x11/ozone_platform_x11.cc:257] Missing X server or $DISPLAY',
  )
  process.exit(1)
} else if (mode === 'crash') {
  console.error('Trace/breakpoint trap')
  process.exit(5)
} else if (mode === 'sandbox' && !args.includes('--no-sandbox')) {
  console.error('FATAL:zygote_host_impl_linux.cc(127)] No usable sandbox! Update your kernel.')
  process.exit(1)
} else if (mode === 'open-then-close') {
  await open()
  process.exit(0)
} else if (mode === 'open-then-crash') {
  await open()
  console.error('Trace/breakpoint trap')
  process.exit(5)
} else {
  await open()
  process.on('SIGTERM', () => process.exit(0))
  setInterval(() => {}, 60_000)
}
