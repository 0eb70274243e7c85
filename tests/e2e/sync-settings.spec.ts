import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { SyncReceiver } from '../support/sync-receiver'
import { collectPageErrors } from './support/console'
import { saveScreens } from './support/screens'
import { ServeProcess } from './support/serve'
import { openView } from './support/views'

let serve: ServeProcess
const receiver = new SyncReceiver('the-right-token-0123')

test.beforeAll(async () => {
  await receiver.start()
  serve = await ServeProcess.start()
})

test.afterAll(async () => {
  await serve?.dispose()
  await receiver.stop()
})

/** The sync card at the bottom of the window, narrow and wide, in both themes. */
async function screens(page: Page, name: string): Promise<void> {
  for (const width of [640, 1280]) {
    await page.setViewportSize({ width, height: 900 })
    await page.getByTestId('sync-status').evaluate((element) => element.scrollIntoView({ block: 'end' }))
    await saveScreens(page, `${name}-${width}`)
  }
}

const setting = (page: Page, key: string) => page.locator(`[data-testid="setting"][data-key="${key}"]`)

test('sync is set in Settings: the URL checked as typed, the token masked, the status live with the last error and what to do', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(serve.info.url)
  await openView(page, 'Settings')
  const status = page.getByTestId('sync-status')
  await expect(status.getByTestId('sync-status-state')).toHaveText('Off')
  await expect(status).toContainText('Fill in the URL and Token fields above.')
  const indicator = page.getByTestId('status-bar-sync')
  await expect(indicator).toHaveCount(0)

  const url = setting(page, 'sync.url').getByRole('textbox')
  await url.fill('http://orchestrator.example.com')
  await expect(setting(page, 'sync.url').getByTestId('setting-help')).toContainText('must be https://')
  await url.fill(receiver.url)
  await url.press('Enter')
  await expect(setting(page, 'sync.url').getByTestId('setting-saved')).toContainText('Saved.')
  // Half set: off, and it says which setting is missing.
  await expect(status.getByTestId('sync-status-problem')).toContainText('sync.token is not')

  const token = setting(page, 'sync.token').getByLabel(/Token/)
  await expect(token).toHaveAttribute('type', 'password')
  await token.fill('a-wrong-token-456')
  // A secret is not sent half-typed: leaving the field keeps it, unsaved, until Save or Enter.
  await token.blur()
  await expect(setting(page, 'sync.token').getByTestId('setting-help')).toHaveText('Not saved yet: press Save.')
  await expect(setting(page, 'sync.token').getByTestId('setting-saved')).toHaveCount(0)
  await token.press('Enter')
  await expect(status.getByTestId('sync-status-state')).toHaveText('Failing')
  await expect(status.getByTestId('sync-status-problem')).toContainText('refused this desktop’s token')
  await expect(status.getByTestId('sync-status-problem')).toContainText('sandlot config set sync.token')
  // The token never comes back to the page: the field holds the mask, the file the token.
  await expect(token).toHaveValue('********')
  expect(JSON.parse(await readFile(join(serve.home, 'settings.json'), 'utf8')).sync.token).toBe('a-wrong-token-456')
  await screens(page, 'settings-sync-failing')

  // The status bar says so from any view, and opens the sync card.
  await openView(page, 'Workspaces')
  await expect(indicator).toHaveText('Sync failing')
  await expect(indicator).toHaveAttribute('title', /refused this desktop’s token/)
  for (const width of [1440, 800]) {
    await page.setViewportSize({ width, height: 900 })
    await saveScreens(page, `statusbar-sync-failing-${width}`)
  }
  await indicator.click()
  await expect(page.getByTestId('settings-group-sync')).toBeInViewport()

  await token.fill(receiver.token)
  await token.press('Enter')
  await expect(status.getByTestId('sync-status-state')).toHaveText('Up to date')
  await expect(status).toContainText('Last acknowledged')
  await expect(status.getByTestId('sync-status-problem')).toHaveCount(0)
  await expect(indicator).toHaveCount(0)
  // The last acknowledgement in the window's time format, not the raw instant.
  await expect(status).not.toContainText(/\d{4}-\d{2}-\d{2}T/)
  await screens(page, 'settings-sync-ok')
  expect(errors).toEqual([])
})
