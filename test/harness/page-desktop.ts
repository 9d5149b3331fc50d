/**
 * The page's half of the harness's desktop (desktop.ts says what differs from the real app and
 * why that is safe): the window's key-file picker, drops resolved among the key folders' files,
 * the browser's clipboard sent along with the requests whose handler reads it, and notices.
 * Drawn in shadow roots of their own, styled by /__harness/desktop.css (the app's CSP allows only
 * its own origin's style sheets), so the app's styles and the harness's never meet.
 */
import {
  harnessEvents,
  NO_DESKTOP,
  type DesktopConfig,
  type PageClipboard,
  type PickerAnswer,
  type PickerRequest,
} from './desktop-protocol'

export interface PageDesktop {
  /** Settles once the harness has said whether it stands in for a desktop. */
  ready: Promise<void>
  /** The dropped file's path among the key folders' files; '' when it is not one of them. */
  pathOfDrop(file: File): string
  /** The browser's clipboard for a request on `channel`; undefined when main does not read it. */
  clipboardFor(channel: string): Promise<PageClipboard | undefined>
}

type Listen = (event: string, listener: (payload: unknown) => void) => void

const NOTICE_MS = 12_000

export function startPageDesktop(listen: Listen): PageDesktop {
  let config = NO_DESKTOP
  const refresh = async () => {
    try {
      const response = await fetch('/__harness/desktop', { cache: 'no-store' })
      if (response.ok) config = (await response.json()) as DesktopConfig
    } catch {
      // No harness answer: the page keeps the test doubles.
    }
  }
  const ready = refresh().then(() => {
    if (!config.enabled) return
    listen(harnessEvents.picker, (payload) => showPicker(payload as PickerRequest))
    listen(harnessEvents.pickerClosed, (payload) => closePicker((payload as { id: string }).id))
    listen(harnessEvents.notice, (payload) => showNotice((payload as { message: string }).message))
    listen(harnessEvents.clipboardClear, () => {
      navigator.clipboard.writeText('').catch((error: unknown) => {
        showNotice(`The demo could not empty the browser’s clipboard (${String(error)}).`)
      })
    })
    // A file dragged in may be new to the key folders: list them again before it lands.
    window.addEventListener(
      'dragenter',
      (event) => {
        if (event.dataTransfer?.types.includes('Files')) void refresh()
      },
      true,
    )
  })

  return {
    ready,
    pathOfDrop(file) {
      if (!config.enabled) return ''
      const known = config.files.find(
        (candidate) =>
          candidate.name === file.name &&
          candidate.size === file.size &&
          Math.abs(candidate.lastModified - file.lastModified) < 1000,
      )
      if (known) return known.path
      showNotice(
        `The demo reads a dropped file only from ${config.keyFolders.join(', ')}, and “${file.name}” is not one of its files. (Ascent itself reads a dropped file from anywhere.)`,
      )
      return ''
    },
    async clipboardFor(channel) {
      await ready
      if (!config.enabled || !config.clipboardChannels.includes(channel as never)) return undefined
      try {
        return { text: await navigator.clipboard.readText() }
      } catch (error) {
        showNotice(
          `The browser did not let the demo read the clipboard (${String(error)}). Allow clipboard access for this page, then paste again.`,
        )
        return { error: String(error) }
      }
    },
  }
}

/**
 * A host element with a shadow root and the harness's style sheet, appended to <body>; `styled`
 * settles once the sheet has loaded (or failed to), so nothing shows unstyled.
 */
function shadowHost(name: string): { host: HTMLElement; root: ShadowRoot; styled: Promise<void> } {
  const host = document.createElement(name)
  const root = host.attachShadow({ mode: 'open' })
  const style = document.createElement('link')
  const styled = new Promise<void>((resolve) => {
    style.addEventListener('load', () => resolve())
    style.addEventListener('error', () => resolve())
  })
  style.rel = 'stylesheet'
  style.href = '/__harness/desktop.css'
  root.append(style)
  // Created when shown, not at load: a sheet of the app makes <body>'s other children inert.
  document.body.append(host)
  return { host, root, styled }
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Partial<HTMLElementTagNameMap[K]> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), properties)
  node.append(...children)
  return node
}

let openPicker: { id: string; host: HTMLElement; dialog: HTMLDialogElement } | null = null

function answerPicker(answer: PickerAnswer): void {
  void fetch('/__harness/picker', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(answer),
  }).then(
    (response) => {
      if (!response.ok)
        showNotice(`The harness did not take the picker’s answer (${response.status}).`)
    },
    (error: unknown) =>
      showNotice(`The harness did not take the picker’s answer (${String(error)}).`),
  )
}

/**
 * "Choose File…" where the demo has no system picker: a modal list of the key folders' files.
 * Modal so the app's sheet behind it is inert; keys stay inside it, so the app's shortcuts do not
 * fire while it is open.
 */
function showPicker(request: PickerRequest): void {
  if (openPicker) closePicker(openPicker.id)
  const previousFocus = document.activeElement
  const { host, root, styled } = shadowHost('ascent-harness-picker')
  const choose = (path: string | null) => {
    if (openPicker?.id !== request.id) return
    answerPicker({ id: request.id, path })
    closePicker(request.id)
  }
  const folders = request.keyFolders.join(', ')
  const items = request.files.map((file) =>
    element('li', {}, [
      element('button', { type: 'button', className: 'file', onclick: () => choose(file.path) }, [
        element('span', { className: 'name' }, [file.name]),
        ...(file.note ? [element('span', { className: 'note' }, [file.note])] : []),
      ]),
    ]),
  )
  const dialog = element('dialog', { className: 'picker' }, [
    element('h2', { id: 'picker-title' }, ['Choose a key file']),
    element('p', { className: 'lead' }, [
      `The demo’s stand-in for the system’s open dialog: the key files in ${folders}.`,
    ]),
    items.length > 0
      ? element('ul', { className: 'files' }, items)
      : element('p', { className: 'empty' }, [`There is no .p8 or .json file in ${folders}.`]),
    element('div', { className: 'actions' }, [
      element('button', { type: 'button', className: 'cancel', onclick: () => choose(null) }, [
        'Cancel',
      ]),
    ]),
  ])
  dialog.setAttribute('aria-labelledby', 'picker-title')
  dialog.addEventListener('keydown', (event) => event.stopPropagation())
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    choose(null)
  })
  dialog.addEventListener('close', () => {
    host.remove()
    if (previousFocus instanceof HTMLElement && previousFocus.isConnected) previousFocus.focus()
  })
  root.append(dialog)
  openPicker = { id: request.id, host, dialog }
  void styled.then(() => {
    if (openPicker?.id !== request.id) return
    dialog.showModal()
    root.querySelector<HTMLButtonElement>('button')?.focus()
  })
}

function closePicker(id: string): void {
  if (openPicker?.id !== id) return
  const { dialog, host } = openPicker
  openPicker = null
  if (dialog.open) dialog.close()
  else host.remove()
}

let shownNotice: HTMLElement | null = null

/** A message at the top of the window, over the app and its sheets, until dismissed or timed out. */
function showNotice(message: string): void {
  shownNotice?.remove()
  const { host, root, styled } = shadowHost('ascent-harness-notice')
  const box = element('div', { className: 'notice', popover: 'manual' }, [
    element('p', {}, [message]),
    element('button', { type: 'button', onclick: () => host.remove() }, ['Dismiss']),
  ])
  box.setAttribute('role', 'status')
  root.append(box)
  shownNotice = host
  void styled.then(() => {
    if (host.isConnected) box.showPopover()
  })
  setTimeout(() => host.remove(), NOTICE_MS)
}
