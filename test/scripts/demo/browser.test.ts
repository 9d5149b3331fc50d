/**
 * The demo's window flags as pure choices: what root needs, what a small /dev/shm needs, what a
 * normal user and a Mac need (nothing), and what Chromium's dying words mean.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  browserName,
  chromiumFlagsFor,
  describeFlags,
  diagnoseEarlyExit,
  findBrowser,
  windowEnvironment,
  writeProfile,
} from '../../../scripts/demo/browser'

const GiB = 1024 * 1024 * 1024
const linux = { platform: 'linux' as const, devShmFreeBytes: 8 * GiB }

describe('the flags Chromium needs', () => {
  it('as root on Linux: --no-sandbox, and the line says why', () => {
    const flags = chromiumFlagsFor({ ...linux, uid: 0 })
    expect(flags.map(({ flag }) => flag)).toEqual(['--no-sandbox'])
    expect(describeFlags(flags)).toBe(
      'Chromium runs with --no-sandbox (you are root, and Chromium’s sandbox refuses root).',
    )
  })

  it('as a normal user on Linux: none, and nothing to say', () => {
    const flags = chromiumFlagsFor({ ...linux, uid: 1000 })
    expect(flags).toEqual([])
    expect(describeFlags(flags)).toBeNull()
  })

  it('with a container’s 64 MiB /dev/shm, or none: --disable-dev-shm-usage too', () => {
    const small = chromiumFlagsFor({ ...linux, uid: 0, devShmFreeBytes: 64 * 1024 * 1024 })
    expect(small.map(({ flag }) => flag)).toEqual(['--no-sandbox', '--disable-dev-shm-usage'])
    expect(describeFlags(small)).toBe(
      'Chromium runs with --no-sandbox (you are root, and Chromium’s sandbox refuses root) and --disable-dev-shm-usage (/dev/shm has 64 MiB free, as in a container).',
    )
    expect(chromiumFlagsFor({ ...linux, uid: 1000, devShmFreeBytes: null })).toEqual([
      { flag: '--disable-dev-shm-usage', reason: 'there is no /dev/shm' },
    ])
  })

  it('on a Mac: none, even as root', () => {
    expect(chromiumFlagsFor({ platform: 'darwin', uid: 0, devShmFreeBytes: null })).toEqual([])
  })
})

describe('why Chromium exited before showing Ascent', () => {
  it('its sandbox refused root or found no namespace: worth a try with --no-sandbox', () => {
    const asRoot =
      '[31846:31846:1204/222112.148148:ERROR:content/browser/zygote_host/zygote_host_impl_linux.cc:103] Running as root without --no-sandbox is not supported. See https://crbug.com/638180.'
    expect(diagnoseEarlyExit(`noise\n${asRoot}\n`, [])).toEqual({
      kind: 'sandbox',
      evidence: asRoot,
    })
    const noNamespace =
      '[1:1:0101/000000.000000:FATAL:zygote_host_impl_linux.cc(127)] No usable sandbox! Update your kernel or see https://chromium.googlesource.com/chromium/src/+/main/docs/linux/suid_sandbox_development.md for more information on developing with the SUID sandbox.'
    expect(diagnoseEarlyExit(noNamespace, []).kind).toBe('sandbox')
  })

  it('the same words with --no-sandbox already given are not worth another try', () => {
    expect(diagnoseEarlyExit('No usable sandbox!', ['--no-sandbox'])).toEqual({
      kind: 'other',
      evidence: 'No usable sandbox!',
    })
  })

  it('no display it may open', () => {
    const stderr = [
      'Authorization required, but no authorization protocol specified',
      '[31904:31904:1204/222113.155908:ERROR:ui/ozone/platform/x11/ozone_platform_x11.cc:257] Missing X server or $DISPLAY',
      '[31904:31904:1204/222113.155957:ERROR:ui/aura/env.cc:253] The platform failed to initialize.  Exiting.',
    ].join('\n')
    expect(diagnoseEarlyExit(stderr, [])).toEqual({
      kind: 'display',
      evidence: 'Authorization required, but no authorization protocol specified',
    })
  })

  it('anything else: its last words', () => {
    expect(diagnoseEarlyExit('first\nTrace/breakpoint trap\n\n', [])).toEqual({
      kind: 'other',
      evidence: 'Trace/breakpoint trap',
    })
    expect(diagnoseEarlyExit('', [])).toEqual({ kind: 'other', evidence: null })
  })
})

describe('the browser and its profile', () => {
  it('ASCENT_CHROMIUM wins, and a wrong one is named', () => {
    expect(findBrowser({ ASCENT_CHROMIUM: process.execPath })).toEqual({ path: process.execPath })
    expect(findBrowser({ ASCENT_CHROMIUM: '/nowhere/chromium' })).toEqual({
      problem:
        'ASCENT_CHROMIUM (or CHROMIUM_PATH) is /nowhere/chromium, and there is no file there.',
    })
  })

  it('names browsers as people do', () => {
    expect(browserName('/usr/bin/chromium')).toBe('Chromium')
    expect(browserName('/usr/bin/google-chrome-stable')).toBe('Google Chrome')
    expect(browserName('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')).toBe(
      'Google Chrome',
    )
  })

  it('gives the window the bus the demo was started from, never the private keyring’s', () => {
    const inside = {
      ASCENT_PRIVATE_KEYRING: '1',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/private',
      ASCENT_OUTER_DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
      HOME: '/home/a',
    }
    expect(windowEnvironment(inside)).toEqual({
      ASCENT_PRIVATE_KEYRING: '1',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
      HOME: '/home/a',
    })
    expect(
      windowEnvironment({ ...inside, ASCENT_OUTER_DBUS_SESSION_BUS_ADDRESS: '' })
        .DBUS_SESSION_BUS_ADDRESS,
    ).toBe('disabled:')
    const mac = { HOME: '/Users/a' }
    expect(windowEnvironment(mac)).toBe(mac)
  })

  it('grants the clipboard to the harness’s origin alone in a fresh profile', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'ascent-demo-profile-test-'))
    try {
      writeProfile(profile, 'http://127.0.0.1:4242')
      const preferences = JSON.parse(
        await readFile(join(profile, 'Default', 'Preferences'), 'utf8'),
      ) as { profile: { content_settings: { exceptions: Record<string, unknown> } } }
      expect(preferences.profile.content_settings.exceptions).toEqual({
        clipboard: { 'http://127.0.0.1:4242,*': { setting: 1 } },
      })
    } finally {
      await rm(profile, { recursive: true, force: true })
    }
  })
})
