/**
 * "Choose File…" in the demo: which system picker it shows where, and what each way out of that
 * picker means (a path, Cancel, a failure that falls back to the window's list). The pickers are
 * stand-in scripts on PATH that answer as zenity does.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commandExists, nativePickerFor } from '../../../scripts/demo/pickers'

const only =
  (...commands: string[]) =>
  (command: string) =>
    commands.includes(command)

describe('which picker', () => {
  it('the Finder’s on a Mac, through osascript', () => {
    const picker = nativePickerFor(
      { platform: 'darwin', hasDisplay: true, has: only('osascript') },
      '/k',
    )
    expect(picker?.name).toBe('the Finder’s open dialog')
  })

  it('zenity, else kdialog, on a Linux desktop', () => {
    const linux = { platform: 'linux' as const, hasDisplay: true }
    expect(nativePickerFor({ ...linux, has: only('zenity', 'kdialog') }, '/k')?.name).toBe('zenity')
    expect(nativePickerFor({ ...linux, has: only('kdialog') }, '/k')?.name).toBe('kdialog')
    expect(nativePickerFor({ ...linux, has: only() }, '/k')).toBeNull()
  })

  it('none without a display, whatever is installed', () => {
    expect(
      nativePickerFor({ platform: 'linux', hasDisplay: false, has: only('zenity') }, '/k'),
    ).toBeNull()
  })

  it('commandExists looks on PATH', () => {
    expect(commandExists('sh')).toBe(true)
    expect(commandExists('no-such-picker-anywhere')).toBe(false)
  })
})

describe('what zenity answers', () => {
  let bin: string
  const path = process.env.PATH

  /** A zenity that prints `stdout`, says `said` on stderr and exits with `code`. */
  async function fakeZenity(code: number, stdout: string, said = ''): Promise<void> {
    const script = [
      '#!/bin/sh',
      `printf '%s' "${stdout}"`,
      said ? `echo "${said}" >&2` : '',
      `exit ${code}`,
    ].join('\n')
    await writeFile(join(bin, 'zenity'), script)
    await chmod(join(bin, 'zenity'), 0o755)
  }

  const pick = () => {
    const picker = nativePickerFor(
      { platform: 'linux', hasDisplay: true, has: only('zenity') },
      '/keys',
    )
    if (!picker) throw new Error('no picker')
    return picker.pick()
  }

  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), 'ascent-picker-test-'))
    process.env.PATH = `${bin}${delimiter}${path}`
  })

  afterAll(async () => {
    process.env.PATH = path
    await rm(bin, { recursive: true, force: true })
  })

  it('the chosen path', async () => {
    await fakeZenity(0, '/keys/AuthKey_ABC.p8\n')
    expect(await pick()).toEqual({ path: '/keys/AuthKey_ABC.p8' })
  })

  it('Cancel', async () => {
    await fakeZenity(1, '')
    expect(await pick()).toEqual({ path: null })
  })

  it('a failure, with its words, so the window lists the files instead', async () => {
    await fakeZenity(255, '', 'Gtk-WARNING **: cannot open display: :9')
    expect(await pick()).toEqual({
      unavailable: 'zenity failed (exit 255: Gtk-WARNING **: cannot open display: :9).',
    })
  })
})
