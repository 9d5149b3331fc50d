/**
 * The harness's desktop for the demo, main's side: the window's picker offers the key folders'
 * key files and takes only one of them back; a native picker comes first and falls back to the
 * list; the clipboard main reads is the one the page sent with a clipboard channel; emptying it
 * and following a link reach the page; drops resolve against an honest listing of the folders.
 */
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDesktop, listFolders, type DesktopOptions } from './desktop'
import { harnessEvents, type PickerRequest } from './desktop-protocol'

let folder: string
let sent: { event: string; payload: unknown }[]
let pages: number
let notices: string[]
let onPicker: ((request: PickerRequest) => void) | null

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ascent-desktop-test-'))
  sent = []
  pages = 1
  notices = []
  onPicker = null
  await writeFile(join(folder, 'AuthKey_BBBBBBBBBB.p8'), 'b')
  await writeFile(join(folder, 'AuthKey_AAAAAAAAAA.p8'), 'aa')
  await writeFile(join(folder, 'fastlane.json'), '{}')
  await writeFile(join(folder, 'notes.txt'), 'not a key')
  await writeFile(join(folder, '.hidden.p8'), 'h')
  await mkdir(join(folder, 'folder.p8'))
})

afterEach(() => rm(folder, { recursive: true, force: true }))

function desktop(options: Partial<DesktopOptions> = {}) {
  return createDesktop(
    { keyFolders: [folder], onNotice: (notice) => notices.push(notice), ...options },
    (event, payload) => {
      sent.push({ event, payload })
      if (event === harnessEvents.picker) onPicker?.(payload as PickerRequest)
      return pages
    },
  )
}

/** The next picker request sent to the page. */
function pickerShown(): Promise<PickerRequest> {
  return new Promise((resolve) => (onPicker = resolve))
}

describe('“Choose File…” in the window', () => {
  it('lists the key files, described first, and takes back one of them', async () => {
    const harness = desktop({
      describeKeyFile: (path) =>
        path.endsWith('BBBBBBBBBB.p8') ? { note: 'Northwind Labs · Admin', order: 0 } : null,
    })
    const shown = pickerShown()
    const chosen = harness.platform.dialog.chooseKeyFile()
    const request = await shown
    expect(request.keyFolders).toEqual([folder])
    expect(request.files).toEqual([
      {
        path: join(folder, 'AuthKey_BBBBBBBBBB.p8'),
        name: 'AuthKey_BBBBBBBBBB.p8',
        note: 'Northwind Labs · Admin',
      },
      { path: join(folder, 'AuthKey_AAAAAAAAAA.p8'), name: 'AuthKey_AAAAAAAAAA.p8', note: null },
      { path: join(folder, 'fastlane.json'), name: 'fastlane.json', note: null },
    ])

    expect(harness.answerPicker({ id: 'another', path: null })).toBe(false)
    expect(harness.answerPicker({ id: request.id, path: join(folder, 'notes.txt') })).toBe(false)
    expect(harness.answerPicker({ id: request.id, path: '/etc/passwd' })).toBe(false)
    expect(harness.answerPicker({ id: request.id, path: join(folder, 'fastlane.json') })).toBe(true)
    expect(await chosen).toBe(join(folder, 'fastlane.json'))
    expect(sent.at(-1)).toEqual({ event: harnessEvents.pickerClosed, payload: { id: request.id } })
    expect(harness.answerPicker({ id: request.id, path: null })).toBe(false)
  })

  it('Cancel answers null, and so does the last page leaving', async () => {
    const harness = desktop()
    const first = pickerShown()
    const canceled = harness.platform.dialog.chooseKeyFile()
    expect(harness.answerPicker({ id: (await first).id, path: null })).toBe(true)
    expect(await canceled).toBeNull()

    const second = pickerShown()
    const left = harness.platform.dialog.chooseKeyFile()
    await second
    harness.pagesGone()
    expect(await left).toBeNull()
  })

  it('with no page to show it in, answers null and says why', async () => {
    pages = 0
    expect(await desktop().platform.dialog.chooseKeyFile()).toBeNull()
    expect(notices).toEqual([
      '“Choose File…” found no window to list the key files in: reload the page.',
    ])
  })

  it('a native picker comes first; when it cannot show, the window lists the files', async () => {
    const chosen = desktop({
      nativePicker: () => Promise.resolve({ path: '/picked/AuthKey_X.p8' }),
    })
    expect(await chosen.platform.dialog.chooseKeyFile()).toBe('/picked/AuthKey_X.p8')
    expect(sent).toEqual([])

    const broken = desktop({
      nativePicker: () => Promise.resolve({ unavailable: 'zenity failed (exit 255).' }),
    })
    const shown = pickerShown()
    const answer = broken.platform.dialog.chooseKeyFile()
    const request = await shown
    expect(notices).toEqual(['zenity failed (exit 255). The window lists the key files instead.'])
    broken.answerPicker({ id: request.id, path: request.files[0]?.path ?? null })
    expect(await answer).toBe(join(folder, 'AuthKey_AAAAAAAAAA.p8'))
  })
})

describe('the clipboard', () => {
  it('main reads what the page sent with a clipboard channel, and nothing sent elsewhere', async () => {
    const harness = desktop()
    const { clipboard } = harness.platform
    harness.receiveClipboard('keys:pasteClipboard', { text: 'the key text' })
    expect(await clipboard.readText()).toBe('the key text')
    harness.receiveClipboard('teams:list', { text: 'something else' })
    expect(await clipboard.readText()).toBe('the key text')
    harness.receiveClipboard('keys:clearClipboard', { text: '' })
    expect(await clipboard.readText()).toBe('')
  })

  it('a clipboard the browser would not read is empty to main, and said', async () => {
    const harness = desktop()
    harness.receiveClipboard('keys:pasteClipboard', { text: 'old' })
    harness.receiveClipboard('keys:pasteClipboard', {
      error: 'NotAllowedError: Read permission denied.',
    })
    expect(await harness.platform.clipboard.readText()).toBe('')
    expect(notices).toEqual([
      'The browser did not let the demo read the clipboard (NotAllowedError: Read permission denied.): allow clipboard access for this page, then paste again.',
    ])
  })

  it('emptying it empties the page’s too', async () => {
    const harness = desktop()
    harness.receiveClipboard('keys:pasteClipboard', { text: 'the key text' })
    harness.platform.clipboard.clear()
    expect(await harness.platform.clipboard.readText()).toBe('')
    expect(sent).toEqual([{ event: harnessEvents.clipboardClear, payload: {} }])
  })

  it('what main copies stays in the harness: the page learns nothing of it', async () => {
    const harness = desktop()
    await harness.platform.clipboard.writeText('eyJ.a-copied.token')
    expect(await harness.platform.clipboard.readText()).toBe('eyJ.a-copied.token')
    expect(sent).toEqual([])
    expect(notices.join(' ')).not.toContain('eyJ')
    expect(notices).toHaveLength(1)
  })
})

it('a save dialog answers with the path main proposes, and the demo says where', async () => {
  const harness = desktop()
  const path = await harness.platform.dialog.chooseSavePath({
    title: 'Export Key',
    defaultPath: '/home/demo/AuthKey_ABCDE12345.p8',
    filters: [],
  })
  expect(path).toBe('/home/demo/AuthKey_ABCDE12345.p8')
  expect(notices).toEqual([
    'The demo has no save dialog: Ascent saves to /home/demo/AuthKey_ABCDE12345.p8',
  ])
})

it('a link is told to the demo and shown in the page, not opened', async () => {
  const opened: string[] = []
  const harness = desktop({ onOpenExternal: (url) => opened.push(url) })
  await harness.platform.shell.openExternal('https://appstoreconnect.apple.com/apps/1')
  expect(opened).toEqual(['https://appstoreconnect.apple.com/apps/1'])
  expect(sent).toEqual([
    {
      event: harnessEvents.notice,
      payload: {
        message:
          'Ascent would open https://appstoreconnect.apple.com/apps/1 in your browser; the demo only shows where.',
      },
    },
  ])
})

describe('the key folders, as the page resolves drops against them', () => {
  it('lists each visible regular file with its size and modification time', async () => {
    const when = new Date('2026-03-04T05:06:07.890Z')
    await utimes(join(folder, 'notes.txt'), when, when)
    const files = await listFolders([folder, join(folder, 'missing')])
    expect(files.map((file) => file.name)).toEqual([
      'AuthKey_AAAAAAAAAA.p8',
      'AuthKey_BBBBBBBBBB.p8',
      'fastlane.json',
      'notes.txt',
    ])
    const notes = files.find((file) => file.name === 'notes.txt')
    expect(notes).toEqual({
      path: join(folder, 'notes.txt'),
      name: 'notes.txt',
      size: (await stat(join(folder, 'notes.txt'))).size,
      lastModified: when.getTime(),
    })
  })

  it('the page learns them from the config, with the channels that carry the clipboard', async () => {
    const config = await desktop().config()
    expect(config).toMatchObject({
      enabled: true,
      keyFolders: [folder],
      clipboardChannels: ['keys:pasteClipboard', 'keys:clearClipboard'],
    })
    expect(config.files).toHaveLength(4)
  })
})
