/**
 * Keyboard and VoiceOver: the sidebar is one Tab stop with arrows inside, a team reads as
 * "Northwind Labs, Admin, 117 need attention", Esc in the inspector returns to the table, the
 * inspector follows the filters, End keeps the selected row above the inspector, version headers
 * stay at the top while their builds scroll, and nothing unnamed takes focus.
 */
import { buildsGrid, expect, openApp, teamButton, test } from './browse-fixtures'
import { screenshot } from './screenshots'

test('the sidebar is one Tab stop; ↑/↓, Home and End move between teams; each reads as one phrase', async ({
  app,
}) => {
  const rows = app.getByRole('navigation', { name: 'Teams' }).locator('[data-team-row]')
  await expect(rows).toHaveCount(3)
  await expect(rows.and(app.locator('[tabindex="0"]'))).toHaveCount(1)
  await expect(teamButton(app, 'Northwind Labs')).toHaveAttribute('tabindex', '0')
  await expect(teamButton(app, 'Northwind Labs')).toHaveAccessibleName(
    /^Northwind Labs, Admin, \d+ need attention$/,
  )
  await expect(teamButton(app, 'Fabrikam CI')).toHaveAccessibleName('Fabrikam CI, Developer')

  await teamButton(app, 'Northwind Labs').focus()
  await app.keyboard.press('ArrowDown')
  await expect(teamButton(app, 'Fabrikam CI')).toBeFocused()
  await app.keyboard.press('End')
  await expect(teamButton(app, 'Contoso Games')).toBeFocused()
  await app.keyboard.press('Home')
  await expect(teamButton(app, 'Northwind Labs')).toBeFocused()
  // Tab leaves the list: neither another team nor a team's "…" button is a stop of its own.
  await app.keyboard.press('Tab')
  await expect(app.locator('[data-team-row]:focus, .team-more:focus')).toHaveCount(0)
  // ⇧F10 on a team opens its menu from the keyboard.
  await teamButton(app, 'Fabrikam CI').focus()
  await app.keyboard.press('Shift+F10')
  await expect(app.getByRole('menu', { name: 'Fabrikam CI actions' })).toBeVisible()
  await app.keyboard.press('Escape')
  await expect(teamButton(app, 'Fabrikam CI')).toBeFocused()
})

test('Esc in the inspector closes it and focus returns to the table; a filter that hides its build closes it', async ({
  app,
}) => {
  await openApp(app, 'Northwind Mail')
  const inspector = app.getByRole('region', { name: 'Build details' })
  await buildsGrid(app)
    .getByRole('row', { name: /5\.9 \(4998\)/ })
    .click()
  await inspector.getByRole('button', { name: 'Open in App Store Connect' }).focus()
  await app.keyboard.press('Escape')
  await expect(inspector).toBeHidden()
  await expect(buildsGrid(app)).toBeFocused()

  // 5.9 (4998) is a macOS build: filtered to iOS, its details go with it, and come back after.
  await buildsGrid(app)
    .getByRole('row', { name: /5\.9 \(4998\)/ })
    .click()
  await expect(inspector).toBeVisible()
  const platforms = app.getByRole('combobox', { name: /Platform/ })
  await platforms.selectOption({ label: 'iOS' })
  await expect(inspector).toBeHidden()
  await platforms.selectOption({ index: 0 })
  await expect(inspector.getByRole('heading', { name: /Build 4998/ })).toBeVisible()
})

test('End selects the last build and keeps it in view above the inspector; version headers stay on top', async ({
  app,
}) => {
  await openApp(app, 'Northwind Mail')
  const grid = buildsGrid(app)
  const scroller = grid.locator('.builds-scroll')
  // Scrolled into version 5.9's builds, its header stays at the top of the view.
  // From the keyboard (a key pressed first), so the focus is drawn as it is for keyboard users.
  await app.keyboard.press('Shift')
  await grid.focus()
  expect(await grid.evaluate((element) => element.matches(':focus-visible'))).toBe(true)
  await app.keyboard.press('ArrowDown')
  await scroller.evaluate((element) => element.scrollBy(0, 28 * 30))
  // The selected row scrolled out of view (and out of the DOM) is still the focus: no ring round
  // the whole table.
  await expect(grid.locator('.build-row-selected')).toHaveCount(0)
  await expect(scroller).toHaveCSS('box-shadow', 'none')
  const sticky = grid.locator('.build-group-sticky')
  await expect(sticky).toContainText('Version 5.9')
  const [stickyBox, scrollBox] = [await sticky.boundingBox(), await scroller.boundingBox()]
  expect(Math.abs((stickyBox?.y ?? -99) - (scrollBox?.y ?? 0))).toBeLessThan(1)
  await screenshot(app, 'keyboard-sticky-header')

  await app.keyboard.press('End')
  const inspector = app.getByRole('region', { name: 'Build details' })
  await expect(inspector).toBeVisible()
  const selected = grid.locator('.builds-body .build-row-selected')
  await expect(selected).toHaveAttribute('aria-rowindex', /\d+/)
  await expect
    .poll(async () => {
      const [row, panel, view] = [
        await selected.boundingBox(),
        await inspector.boundingBox(),
        await scroller.boundingBox(),
      ]
      if (!row || !panel || !view) return 'not laid out'
      return row.y >= view.y && row.y + row.height <= Math.min(panel.y, view.y + view.height) + 1
        ? 'in view'
        : `row ${row.y}–${row.y + row.height}, inspector at ${panel.y}`
    })
    .toBe('in view')
  await screenshot(app, 'keyboard-end')
})

test('everything Tab reaches has a name: no unnamed scroll container takes focus', async ({
  app,
}) => {
  await openApp(app, 'Northwind Mail')
  await buildsGrid(app)
    .getByRole('row', { name: /5\.9 \(4998\)/ })
    .click()
  // From the first stop of the window, the sidebar's team, to the last.
  await teamButton(app, 'Northwind Labs').focus()
  const seen: string[] = []
  for (let step = 0; step < 40; step += 1) {
    await app.keyboard.press('Tab')
    const focused = app.locator(':focus')
    // Past the last stop, focus leaves the page for the browser's own controls.
    if ((await focused.count()) === 0) break
    const described = await focused.evaluate(
      (element) => `${element.tagName.toLowerCase()}.${element.className}`,
    )
    await expect(focused, `focus ${step} on ${described}`).toHaveAccessibleName(/\S/)
    seen.push(described)
  }
  // The walk went through the panes, not round one control.
  expect(new Set(seen).size).toBeGreaterThan(6)
})
