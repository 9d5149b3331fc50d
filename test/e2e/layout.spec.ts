/**
 * The window at every size from its minimum (900×600) to a large display: nothing in the
 * toolbar, the builds header or a row runs past its pane, every control stays reachable (in the
 * toolbar or its More menu), the sidebar hides itself when the window is narrow and comes back on
 * ⌃⌘S, and the table keeps all its columns (scrolling sideways when the pane is narrower).
 */
import type { Locator, Page } from '@playwright/test'
import {
  buildsGrid,
  COMMAND,
  expect,
  openApp,
  teamButton,
  test,
  toolbarTitle,
} from './browse-fixtures'
import { screenshot } from './screenshots'

const SIZES = [
  [900, 600],
  [1100, 720],
  [1440, 900],
  [2560, 1440],
] as const

/**
 * The visible descendants of `container` (down to `depth` levels) whose box runs past the
 * container's own box, by more than a pixel of rounding: each as "class: how far".
 */
async function overflowing(container: Locator, selector: string): Promise<string[]> {
  return container.evaluate((element, childSelector) => {
    const bounds = element.getBoundingClientRect()
    const found: string[] = []
    for (const child of element.querySelectorAll<HTMLElement>(childSelector)) {
      const box = child.getBoundingClientRect()
      if (box.width === 0 || box.height === 0) continue
      const past = Math.max(box.right - bounds.right, bounds.left - box.left)
      if (past > 1) found.push(`${child.className || child.tagName}: ${Math.round(past)}px`)
    }
    return found
  }, selector)
}

/** Whether `locator` lies wholly inside the window. */
async function inWindow(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox()
  const size = page.viewportSize()
  if (!box || !size) return false
  return (
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= size.width + 0.5 &&
    box.y + box.height <= size.height + 0.5
  )
}

/** The sort shows in the toolbar, or (a narrow toolbar) in its More menu, where it works. */
async function sortIsReachable(app: Page, toolbar: Locator): Promise<'toolbar' | 'more'> {
  const sort = toolbar.getByRole('combobox', { name: 'Sort apps' })
  if (await sort.isVisible()) {
    expect(await inWindow(app, sort)).toBe(true)
    return 'toolbar'
  }
  await toolbar.getByRole('button', { name: 'More' }).click()
  const more = app.getByRole('menu', { name: 'More' })
  await expect(more.getByRole('menuitemradio', { name: 'Sort by Name' })).toHaveAttribute(
    'aria-checked',
    'true',
  )
  expect(await inWindow(app, more)).toBe(true)
  await more.getByRole('menuitemradio', { name: /Sort by Newest Build/ }).click()
  await expect(more).toBeHidden()
  await toolbar.getByRole('button', { name: 'More' }).click()
  await expect(
    app.getByRole('menu', { name: 'More' }).getByRole('menuitemradio', { name: /Newest/ }),
  ).toHaveAttribute('aria-checked', 'true')
  await app.keyboard.press('Escape')
  return 'more'
}

for (const [width, height] of SIZES) {
  test(`${width}×${height}: nothing overflows its pane, every control is reachable`, async ({
    app,
  }) => {
    await app.setViewportSize({ width, height })
    const sidebar = app.getByRole('navigation', { name: 'Teams' })
    const narrow = width < 1000
    // The sidebar hides itself below 1000 points; the toolbar offers it back.
    if (narrow) {
      await expect(sidebar).toBeHidden()
      await expect(app.getByRole('button', { name: 'Show Sidebar' })).toBeVisible()
    } else {
      await expect(sidebar).toBeVisible()
      await expect(app.getByRole('button', { name: 'Show Sidebar' })).toHaveCount(0)
    }

    await openApp(app, 'Northwind Mail')
    await app.locator('.builds-body .build-row[role="row"]:not(.build-group)').nth(2).click()
    const inspector = app.getByRole('region', { name: 'Build details' })
    await expect(inspector).toBeVisible()
    await expect(inspector.getByRole('button', { name: 'Open in App Store Connect' })).toBeVisible()

    const toolbar = app.getByRole('toolbar', { name: 'Northwind Labs toolbar' })
    expect(await overflowing(toolbar, ':scope > *, :scope > * > *')).toEqual([])
    const header = app.locator('.builds-header')
    expect(await overflowing(header, ':scope > *, :scope > * > *')).toEqual([])
    expect(await overflowing(app.locator('.builds-filters'), ':scope > *')).toEqual([])
    expect(await overflowing(inspector, '.inspector-header > *')).toEqual([])
    // A row's cells stay inside the row (the row itself may scroll sideways in its grid).
    const row = app.locator('.builds-body .build-row-selected')
    expect(await overflowing(row, ':scope > *')).toEqual([])

    // Search, Needs Attention and Refresh always show; the sort is in the toolbar or in More.
    for (const control of [
      toolbar.getByRole('searchbox', { name: /Search apps/ }),
      toolbar.getByRole('button', { name: /Needs Attention/ }),
      toolbar.getByRole('button', { name: 'Refresh' }),
    ]) {
      expect(await inWindow(app, control)).toBe(true)
    }
    await sortIsReachable(app, toolbar)

    // Every column is there, and each can be scrolled into view.
    const columns = buildsGrid(app).getByRole('columnheader')
    await expect(columns).toHaveText([
      'Build',
      'Platform',
      'Uploaded',
      'Status',
      /Internal/,
      'Expires',
    ])
    for (const column of await columns.all()) {
      await column.scrollIntoViewIfNeeded()
      expect(await inWindow(app, column)).toBe(true)
    }
    await expect(toolbarTitle(app)).toHaveText('Northwind Labs')
    await screenshot(app, `layout-${width}x${height}`)
  })
}

test('⌃⌘S hides and shows the sidebar at any width; a narrow window shows it on request', async ({
  app,
}) => {
  const sidebar = app.getByRole('navigation', { name: 'Teams' })
  await expect(sidebar).toBeVisible()
  await app.keyboard.press(`Control+Meta+s`)
  await expect(sidebar).toBeHidden()
  // Hidden, it is out of the tab order and the accessibility tree, and the content takes its room.
  await expect(teamButton(app, 'Northwind Labs')).toBeHidden()
  const content = await app.getByRole('main', { name: 'Content' }).boundingBox()
  expect(content?.x).toBe(0)
  await app.getByRole('button', { name: 'Show Sidebar' }).click()
  await expect(sidebar).toBeVisible()

  await app.setViewportSize({ width: 900, height: 600 })
  await expect(sidebar).toBeHidden()
  await app.getByRole('button', { name: 'Show Sidebar' }).click()
  await expect(sidebar).toBeVisible()
  // The toolbar is narrower than the sort and the meter need: they wait in More, nothing spills.
  const toolbar = app.getByRole('toolbar', { name: 'Northwind Labs toolbar' })
  expect(await overflowing(toolbar, ':scope > *, :scope > * > *')).toEqual([])
  expect(await sortIsReachable(app, toolbar)).toBe('more')
  await app.keyboard.press(`${COMMAND}+2`)
  await expect(toolbarTitle(app)).toHaveText('Fabrikam CI')
  await screenshot(app, 'layout-900-sidebar-shown')
  await app.keyboard.press(`Control+Meta+s`)
  await expect(sidebar).toBeHidden()
})
