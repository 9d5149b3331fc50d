/**
 * The process boundary, seen from the page: only the contract's functions exist, bad requests get
 * typed errors, and a page at another origin is refused by main.
 */
import { channels, eventNames, eventBridgeName, splitChannel } from '../../src/shared/contract'
import { expect, test } from './fixtures'
import { screenshot } from './screenshots'

test('window.ascent exposes exactly the contract, as functions, and nothing else', async ({
  app,
}) => {
  const exposed = await app.evaluate(() => {
    const api = window.ascent as unknown as Record<string, Record<string, unknown>>
    return Object.entries(api).flatMap(([namespace, members]) =>
      Object.entries(members).map(([name, value]) => `${namespace}.${name}:${typeof value}`),
    )
  })
  const expected = [
    ...channels.map((channel) => splitChannel(channel).join('.')),
    ...eventNames.map((event) => eventBridgeName(event).join('.')),
  ].map((member) => `${member}:function`)
  expect(exposed.sort()).toEqual(expected.sort())

  const nodeOrElectron = await app.evaluate(() =>
    ['require', 'process', 'ipcRenderer', 'electron', 'Buffer'].filter((name) => name in window),
  )
  expect(nodeOrElectron).toEqual([])
})

test('a request that fails its schema gets a typed error, and main keeps answering', async ({
  app,
}) => {
  const invalid = await app.evaluate(() =>
    (window.ascent.app.openExternal as unknown as (request: unknown) => Promise<unknown>)({
      url: 42,
    }),
  )
  expect(invalid).toMatchObject({ ok: false, error: { code: 'ipc.invalid_request' } })
  expect(JSON.stringify(invalid)).not.toMatch(/at .*\.ts:\d+/)

  const extra = await app.evaluate(() =>
    (window.ascent.teams.activate as unknown as (request: unknown) => Promise<unknown>)({
      teamId: 'x',
      evil: true,
    }),
  )
  expect(extra).toMatchObject({ ok: false, error: { code: 'ipc.invalid_request' } })

  const info = await app.evaluate(() => window.ascent.app.info())
  expect(info).toMatchObject({ ok: true, value: { usesSandbox: true } })
})

test('links outside the allow-list are refused in main', async ({ app, harness }) => {
  const refused = await app.evaluate(() =>
    window.ascent.app.openExternal({ url: 'https://example.com/phish' }),
  )
  expect(refused).toMatchObject({ ok: false, error: { code: 'link.not_allowed' } })
  const allowed = await app.evaluate(() =>
    window.ascent.app.openExternal({
      url: 'https://appstoreconnect.apple.com/access/integrations/api',
    }),
  )
  expect(allowed).toEqual({ ok: true, value: null })
  // The shell gets the URL main checked, normalised, never the string the page sent.
  const odd = await app.evaluate(() =>
    window.ascent.app.openExternal({ url: 'https://appstoreconnect.apple.com\\@evil.example/' }),
  )
  expect(odd).toEqual({ ok: true, value: null })
  expect(harness.openedUrls).toEqual([
    'https://appstoreconnect.apple.com/access/integrations/api',
    'https://appstoreconnect.apple.com/@evil.example/',
  ])
})

test('a page at another origin is refused by main', async ({ page, harness }) => {
  const foreignOrigin = harness.origin.replace('127.0.0.1', 'localhost')
  await page.goto(`${foreignOrigin}/?token=${harness.token}`)
  const answer = await page.evaluate(() => window.ascent.teams.list())
  expect(answer).toMatchObject({ ok: false, error: { code: 'ipc.untrusted_sender' } })
})

test('the first run shows the empty state', async ({ app }) => {
  await expect(
    app.getByRole('heading', { name: 'Add your first App Store Connect API key' }),
  ).toBeVisible()
  await expect(app.getByText('No key is added yet')).toBeVisible()
  // A README screenshot: the window before any key.
  await screenshot(app, 'first-run')
})
