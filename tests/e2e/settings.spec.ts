import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { collectPageErrors } from './support/console'
import { saveScreens } from './support/screens'
import { ServeProcess } from './support/serve'
import { openView } from './support/views'

let serve: ServeProcess

test.beforeAll(async () => {
  serve = await ServeProcess.start()
})

test.afterAll(async () => {
  await serve?.dispose()
})

async function openSettings(page: Page): Promise<void> {
  await page.goto(serve.info.url)
  await openView(page, 'Settings')
}

const setting = (page: Page, key: string) => page.locator(`[data-testid="setting"][data-key="${key}"]`)
const settingsFile = () => join(serve.home, 'settings.json')

test('the Settings view changes the pool size, refuses a bad value with the core’s message, and writes nothing then', async ({ page }) => {
  const errors = collectPageErrors(page)
  await openSettings(page)
  const size = setting(page, 'pool.size')
  const input = size.getByRole('textbox', { name: /Size/ })
  await expect(input).toHaveValue('1')

  await input.fill('40')
  await expect(size.getByTestId('setting-help')).toHaveText('Size takes a whole number from 0 to 16.')
  await expect(input).toHaveAttribute('aria-invalid', 'true')
  await expect(size.getByRole('button', { name: 'Save' })).toBeDisabled()
  await input.press('Enter')
  await expect(size.getByTestId('setting-saved')).toHaveCount(0)

  await input.fill('3')
  await expect(input).toHaveAttribute('aria-invalid', 'false')
  await input.press('Enter')
  await expect(size.getByTestId('setting-saved')).toContainText('Saved.')
  expect(JSON.parse(await readFile(settingsFile(), 'utf8')).pool.size).toBe(3)

  // The engine check the core makes beyond the schema comes back as the field's refusal.
  const context = setting(page, 'engine.context')
  await context.getByRole('textbox').fill('no-such-context-here')
  await context.getByRole('button', { name: 'Save' }).click()
  await expect(context.getByTestId('setting-refused')).toContainText(/no-such-context-here/)
  expect(JSON.parse(await readFile(settingsFile(), 'utf8')).engine.context).toBeUndefined()
  await saveScreens(page, 'settings')
  expect(errors).toEqual([])
})

test('a typed value saves when the field is left; an invalid one is kept with its message across pages, named at the top', async ({ page }) => {
  const errors = collectPageErrors(page)
  await openSettings(page)
  const scrollback = setting(page, 'terminal.scrollback')
  const input = scrollback.getByRole('textbox')
  await input.fill('9000')
  await input.press('Tab')
  await expect(scrollback.getByTestId('setting-saved')).toContainText('Saved.')
  expect(JSON.parse(await readFile(settingsFile(), 'utf8')).terminal.scrollback).toBe(9000)
  await openView(page, 'Workspaces')
  await openView(page, 'Settings')
  await expect(input).toHaveValue('9000')

  await input.fill('lots')
  await input.press('Tab')
  await expect(scrollback.getByTestId('setting-help')).toHaveText('Scrollback takes a whole number from 0 to 100000.')
  await openView(page, 'Workspaces')
  await openView(page, 'Settings')
  // Back on the page, the edit is there with its message, and named at the top with a way to it.
  await expect(input).toHaveValue('lots')
  await expect(input).toHaveAttribute('aria-invalid', 'true')
  const unsaved = page.getByTestId('settings-unsaved')
  await expect(unsaved).toContainText('An edit was not saved.')
  await saveScreens(page, 'settings-unsaved', { widths: [800, 1440] })
  await unsaved.getByRole('button', { name: 'terminal.scrollback' }).click()
  await expect(input).toBeFocused()
  await scrollback.getByRole('button', { name: 'Cancel' }).click()
  await expect(input).toHaveValue('9000')
  await expect(unsaved).toHaveCount(0)
  expect(JSON.parse(await readFile(settingsFile(), 'utf8')).terminal.scrollback).toBe(9000)

  // In a browser, the settings only the desktop app acts on say so; an empty list's default reads "none".
  await expect(setting(page, 'desktop.openAtLogin').getByTestId('setting-desktop-only')).toHaveText('Applies to the desktop app only.')
  await expect(setting(page, 'pool.size').getByTestId('setting-desktop-only')).toHaveCount(0)
  await expect(setting(page, 'notifications.mutedWorkspaces').getByTestId('setting-help')).toHaveText('Default: none.')
  await setting(page, 'image.base').scrollIntoViewIfNeeded()
  await saveScreens(page, 'settings-image', { widths: [800, 1440] })
  expect(errors).toEqual([])
})

test('the theme is chosen in Settings and applies at once, in this tab and in another', async ({ page, context }) => {
  await openSettings(page)
  const other = await context.newPage()
  await other.goto(serve.info.url)
  await expect(other.getByTestId('status-bar')).toBeVisible()
  const theme = setting(page, 'appearance.theme')
  await theme.getByRole('radio', { name: 'Dark' }).check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(other.locator('html')).toHaveAttribute('data-theme', 'dark')
  await saveScreens(page, 'settings-dark-theme')
  await theme.getByRole('radio', { name: 'Light' }).check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await theme.getByRole('radio', { name: 'System' }).check()
  await expect(page.locator('html')).not.toHaveAttribute('data-theme')
  expect(JSON.parse(await readFile(settingsFile(), 'utf8')).appearance.theme).toBe('system')
  await other.close()
})

test('a broken settings.json shows a banner naming the file, the line and what was kept, and goes when fixed', async ({ page }) => {
  await page.goto(serve.info.url)
  await writeFile(settingsFile(), '{\n  "pool": { "size": 2 },\n  "appearance": { "theme": "neon" }\n}\n')
  const banner = page.getByTestId('settings-banner')
  await expect(banner).toContainText(settingsFile())
  await expect(banner).toContainText('line 3: appearance.theme: Invalid option: expected one of "system"|"light"|"dark"; default kept')
  await saveScreens(page, 'settings-banner')
  await banner.getByRole('button', { name: 'Open Settings' }).click()
  await expect(setting(page, 'pool.size').getByRole('textbox')).toHaveValue('2')
  await writeFile(settingsFile(), '{\n  "pool": { "size": 2 }\n}\n')
  await expect(banner).toHaveCount(0)
})

test('the sidebar shows only items that lead somewhere', async ({ page }) => {
  await page.goto(serve.info.url)
  const nav = page.getByRole('navigation', { name: 'Main' })
  await expect(nav.getByRole('button', { name: 'Settings' })).toBeVisible()
  await expect(nav.getByRole('button', { disabled: true })).toHaveCount(0)
  await expect(nav.getByText('Soon')).toHaveCount(0)
})

test('an unknown address shows "Page not found" with a way back, inside the page’s main landmark', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(`${serve.info.url}#/bogus`)
  const main = page.getByRole('main')
  await expect(main).toHaveCount(1)
  await expect(main.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  await expect(main.getByTestId('not-found')).toContainText('#/bogus')
  await saveScreens(page, 'not-found', { widths: [800, 1440] })
  await main.getByRole('button', { name: 'Go to Workspaces' }).click()
  await expect(page).toHaveURL(/#\/workspaces$/)
  await expect(main.getByRole('heading', { name: 'Workspaces', level: 1 })).toBeVisible()
  expect(errors).toEqual([])
})
