/**
 * `npm run demo` works for anyone: the demo script itself, as this user and (when this is root)
 * as a normal user through runuser; in Playwright's browser on the address it prints, and in its
 * own Chromium window on a virtual display (Xvfb), driven over the DevTools protocol. Each run adds
 * a key by each of the three intakes as a person would (Choose File… in the window's list, a file
 * dropped from the key folder, ⌘V of the key's text), saves one in the demo's keyring, follows a
 * link the demo prints instead of opening, and stops leaving nothing behind.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { chromium, type Page } from '@playwright/test'
import {
  freePort,
  normalUser,
  startDemo,
  startXvfb,
  type DemoKey,
  type DemoRun,
  type RunningDemo,
} from './demo-support'
import { expect, test } from './fixtures'
import { COMMAND, fingerprintOfPem, openWizard } from './wizard-fixtures'

test.describe.configure({ timeout: 180_000 })

const isRoot = process.getuid?.() === 0
const SHOTS = 'test-results/screenshots'

function keyOf(demo: RunningDemo, team: string, about: string): DemoKey {
  const key = demo.keys.find((candidate) => candidate.team === team && candidate.about === about)
  if (!key) throw new Error(`The demo listed no ${about} of ${team}:\n${demo.output()}`)
  return key
}

/** Every 24-character stretch of the key's body: none may come back from main. */
function fragmentsOf(pem: string): string[] {
  const body = pem.replace(/-----[A-Z ]+-----|\s/g, '')
  const fragments: string[] = []
  for (let start = 0; start + 24 <= body.length; start += 12)
    fragments.push(body.slice(start, start + 24))
  return fragments
}

/** Records every IPC answer main sends the page, by channel. */
function recordAnswers(page: Page): { channel: string; body: string }[] {
  const answers: { channel: string; body: string }[] = []
  page.on('response', (response) => {
    if (!response.url().endsWith('/__ipc')) return
    const channel = String((response.request().postDataJSON() as { channel: string }).channel)
    void response.text().then((body) => answers.push({ channel, body }))
  })
  return answers
}

async function addKeysByEachIntake(
  page: Page,
  demo: RunningDemo,
  answers: { channel: string; body: string }[],
  name: string,
): Promise<void> {
  const chosen = keyOf(demo, 'Northwind Labs', 'Admin · team key')
  const dropped = keyOf(demo, 'Contoso Games', 'Admin · team key')
  const pasted = keyOf(demo, 'Fabrikam Studio', 'Developer · team key')
  await expect(page.getByRole('navigation', { name: 'Teams' })).toBeVisible()
  const wizard = await openWizard(page)
  const imported = wizard.getByRole('region', { name: 'Imported key' })

  // Choose File…: no system picker here, so the window lists the key folder's files.
  await wizard.getByRole('button', { name: 'Choose File…' }).click()
  const picker = page.getByRole('dialog', { name: 'Choose a key file' })
  await expect(picker.getByRole('button', { name: /^AuthKey_/ })).toHaveCount(demo.keys.length)
  await expect(picker.getByRole('button', { name: chosen.file })).toContainText(
    'Northwind Labs · Admin · team key',
  )
  await page.screenshot({ path: `${SHOTS}/demo-${name}-picker.png` })
  if (name.endsWith('browser')) {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: `${SHOTS}/demo-${name}-picker-dark.png` })
    await page.emulateMedia({ colorScheme: 'light' })
  }
  await picker.getByRole('button', { name: chosen.file }).click()
  await expect(picker).toBeHidden()
  await expect(imported).toContainText(chosen.file)
  await expect(imported).toContainText(fingerprintOfPem(readFileSync(chosen.path, 'utf8')))

  // A drop, as the system hands it to the page: a File with no path. The demo finds a file of
  // the key folder by name, size and modification time, and main reads it there; a file from
  // elsewhere has no path here, and the window says why.
  const drop = (file: { name: string; text: string; lastModified: number }) =>
    page.evaluate((dropped) => {
      const data = new DataTransfer()
      data.items.add(new File([dropped.text], dropped.name, { lastModified: dropped.lastModified }))
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(
          new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
        )
      }
    }, file)
  await drop({ name: 'AuthKey_ELSEWHERE1.p8', text: 'from another folder', lastModified: 0 })
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: `The demo reads a dropped file only from ${demo.keyDir}` }),
  ).toBeVisible()
  await expect(wizard.getByText('This isn’t a file on your disk')).toBeVisible()
  await drop({
    name: dropped.file,
    text: readFileSync(dropped.path, 'utf8'),
    lastModified: Math.round(statSync(dropped.path).mtimeMs),
  })
  await expect(imported).toContainText(dropped.file)

  // ⌘V of the key's text, copied in the browser: the demo's paste needs no xclip.
  const pem = readFileSync(pasted.path, 'utf8')
  await page.evaluate((text) => navigator.clipboard.writeText(text), pem)
  await page.keyboard.press(`${COMMAND}+v`)
  await expect(imported).toContainText('Pasted from the clipboard')
  await expect(imported).toContainText(fingerprintOfPem(pem))
  await wizard.getByRole('button', { name: 'Clear Clipboard' }).click()
  await expect(wizard.getByText('Clipboard cleared.')).toBeVisible()
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('')

  // The pasted key is saved in the demo's keyring, through the same bridge the wizard uses.
  const pasteAnswer = answers.find((answer) => answer.channel === 'keys:pasteClipboard')
  const draftId = (
    JSON.parse(pasteAnswer?.body ?? '{}') as { value?: { draft?: { draftId?: string } } }
  ).value?.draft?.draftId
  expect(draftId).toBeTruthy()
  const keyId = pasted.file.replace(/^AuthKey_|\.p8$/g, '')
  const saved = await page.evaluate(
    async (request) => {
      const checked = await window.ascent.keys.check({
        checkId: 'demo-test',
        keyType: 'team',
        role: null,
        ...request,
      })
      if (!checked.ok || !checked.value.canSave) return checked
      return window.ascent.keys.save({ checkId: 'demo-test', name: 'Fabrikam' })
    },
    { draftId: String(draftId), issuerId: pasted.issuerId, keyId },
  )
  expect(saved).toMatchObject({ ok: true, value: { keyId } })

  // A link: the page says where it would go, and so does the terminal.
  const link = 'https://appstoreconnect.apple.com/apps'
  await page.evaluate((url) => window.ascent.app.openExternal({ url }), link)
  await expect(
    page.getByRole('status').filter({ hasText: `Ascent would open ${link}` }),
  ).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/demo-${name}-notice.png` })
  await demo.line(/^→ Ascent would open https:\/\/appstoreconnect\.apple\.com\/apps$/)

  // The secret flow holds in the demo too: main never sent a piece of any key to the page.
  const sent = answers.map((answer) => answer.body).join('\n')
  expect(answers.map((answer) => answer.channel)).toEqual(
    expect.arrayContaining([
      'keys:chooseFile',
      'keys:importDropped',
      'keys:pasteClipboard',
      'keys:save',
    ]),
  )
  expect(sent).not.toContain('PRIVATE KEY')
  for (const key of [chosen, dropped, pasted]) {
    for (const fragment of fragmentsOf(readFileSync(key.path, 'utf8')))
      expect(sent).not.toContain(fragment)
  }
}

/** The demo printed no failure of its own on the way (main's log lines are redacted, not errors). */
function expectNoFailure(demo: RunningDemo): void {
  expect(demo.output()).not.toMatch(/\[error\]|unexpected error|did not start|could not/)
}

const runs: { name: string; run: DemoRun; skip: string | null }[] = [
  { name: isRoot ? 'root' : 'user', run: {}, skip: null },
  (() => {
    if (!isRoot) {
      return {
        name: 'normal-user',
        run: {},
        skip: 'this run is a normal user’s already, and runuser needs root to switch users',
      }
    }
    const user = normalUser()
    return 'problem' in user
      ? { name: 'normal-user', run: {}, skip: user.problem }
      : { name: 'normal-user', run: { user: user.name }, skip: null }
  })(),
]

for (const { name, run, skip } of runs) {
  test.describe(`npm run demo as ${name === 'root' ? 'root' : name === 'user' ? 'this user' : 'a normal user'}`, () => {
    test('in a browser on the printed address: a key comes in by each intake', async ({ page }) => {
      test.skip(skip !== null, skip ?? '')
      const demo = await startDemo({ ...run, args: ['--no-window', '--picker', 'window'] })
      try {
        await demo.line(/^No window \(--no-window\)/)
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
          origin: demo.origin,
        })
        const answers = recordAnswers(page)
        await page.goto(demo.url)
        await addKeysByEachIntake(page, demo, answers, `${name}-browser`)
        await demo.interrupt()
        await demo.line(/^The demo stopped; its key files and data are deleted\.$/)
        expect(existsSync(demo.keyDir)).toBe(false)
        expectNoFailure(demo)
      } finally {
        demo.dispose()
      }
    })

    test('in its own Chromium window: the flags it needs, then each intake', async () => {
      test.skip(skip !== null, skip ?? '')
      const xvfb = await startXvfb()
      test.skip('problem' in xvfb, 'problem' in xvfb ? xvfb.problem : '')
      if ('problem' in xvfb) return
      const port = await freePort()
      const demo = await startDemo({
        ...run,
        args: ['--picker', 'window'],
        env: {
          DISPLAY: xvfb.display,
          ASCENT_DEMO_CHROMIUM_ARGS: `--remote-debugging-port=${port}`,
        },
      })
      try {
        await demo.line(
          /^Ascent is open in a .+ window\. Close it, or press Ctrl\+C here, to stop\.$/,
        )
        if (name === 'root') {
          await demo.line(
            /^Chromium runs with --no-sandbox \(you are root, and Chromium’s sandbox refuses root\)/,
          )
        } else {
          expect(demo.output()).not.toContain('you are root')
        }
        const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`)
        const page = browser
          .contexts()
          .flatMap((context) => context.pages())
          .find((candidate) => candidate.url().startsWith(demo.origin))
        if (!page) throw new Error(`The demo's window shows no page of ${demo.origin}`)
        const answers = recordAnswers(page)
        // No permission granted here: the demo's profile lets its page read the clipboard.
        await addKeysByEachIntake(page, demo, answers, `${name}-window`)

        await page.close()
        await demo.line(/^The .+ window was closed: the demo stops\.$/)
        await demo.line(/^The demo stopped; its key files and data are deleted\.$/)
        expect(await demo.exited).toBe(0)
        expect(existsSync(demo.keyDir)).toBe(false)
        expectNoFailure(demo)
        await browser.close()
      } finally {
        demo.dispose()
        xvfb.stop()
      }
    })
  })
}
