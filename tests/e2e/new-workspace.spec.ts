import { expect, test, type Page } from '@playwright/test'
import { runSandlot } from '../support/run-cli'
import { collectPageErrors } from './support/console'
import { saveScreens } from './support/screens'
import { ServeProcess, testSettings } from './support/serve'
import { openView, workspaceRow } from './support/views'

// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const id = Math.random().toString(16).slice(2, 8)
const names = { own: `e2e-idle-${id}`, setting: `e2e-idle-setting-${id}` }
const RANGE = 'Give a whole number of minutes from 0 (never) to 10080 (a week).'
const SETTING_MINUTES = 45

let serve: ServeProcess

test.beforeAll(async () => {
  serve = await ServeProcess.start({ settings: { ...testSettings(0), workspaces: { idleStopMinutes: SETTING_MINUTES } } })
})

test.afterAll(async () => {
  await serve?.dispose()
})

/** The workspaces as `sandlot ls --json` lists them from the server's data folder: what reached the core. */
async function listed(): Promise<Array<{ name: string; idleStopMinutes?: number }>> {
  const run = await runSandlot(['ls', '--json'], { SANDLOT_HOME: serve.home })
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout)
}

async function openNewWorkspace(page: Page): Promise<void> {
  await openView(page, 'Workspaces')
  await page.getByRole('button', { name: 'New workspace' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'New workspace' })).toBeVisible()
}

test('a workspace made through the New workspace view keeps its own idle stop; a bad one is refused there and sends nothing', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(serve.info.url)
  await openNewWorkspace(page)
  // Escape leaves the form, as it closes a sheet.
  await page.keyboard.press('Escape')
  await expect(page.getByRole('heading', { level: 1, name: 'Workspaces' })).toBeVisible()
  await page.getByRole('button', { name: 'New workspace' }).first().click()

  const setting = page.getByRole('radio', { name: `Use the setting (${SETTING_MINUTES} min)` })
  await expect(setting).toBeChecked()
  const minutes = page.getByRole('textbox', { name: 'Minutes without use before it stops' })
  const help = page.getByTestId('idle-stop-help')
  await page.getByLabel('Name').fill(names.own)

  // Typing minutes picks "After"; the contract's refusal shows under the field, and a create sends nothing.
  await minutes.fill('10081')
  await expect(page.getByRole('radio', { name: 'After' })).toBeChecked()
  await expect(help).toHaveText(RANGE)
  await expect(minutes).toHaveAttribute('aria-invalid', 'true')
  await saveScreens(page, 'new-workspace-idle-invalid', { widths: [800, 1440], height: 1000 })
  const shellCard = page.getByRole('button', { name: 'Create a workspace from Shell' })
  await shellCard.click()
  await expect(minutes).toBeFocused()
  await expect(page.getByTestId('creation')).toHaveCount(0)
  expect((await listed()).map((w) => w.name)).not.toContain(names.own)
  await minutes.fill('1.5')
  await expect(help).toHaveText(RANGE)

  await minutes.fill('90')
  await expect(minutes).toHaveAttribute('aria-invalid', 'false')
  await expect(help).toContainText('opening it starts it again')
  await saveScreens(page, 'new-workspace', { widths: [800, 1440], height: 1000 })
  await shellCard.click()
  const creation = page.getByTestId('creation')
  await expect(creation).toHaveAttribute('data-state', /ready|failed/, { timeout: 180_000 })
  expect(await creation.getAttribute('data-state'), await creation.innerText()).toBe('ready')
  expect((await listed()).find((w) => w.name === names.own)?.idleStopMinutes).toBe(90)

  // Another one follows the setting: nothing of its own is sent, and the choice is kept for the next create (the
  // form stays under the result, its name cleared).
  await expect(page.getByLabel('Name')).toHaveValue('')
  await expect(page.getByRole('radio', { name: 'After' })).toBeChecked()
  await setting.check()
  await page.getByLabel('Name').fill(names.setting)
  await shellCard.click()
  await expect(creation).toHaveAttribute('data-state', /ready|failed/, { timeout: 180_000 })
  expect(await creation.getAttribute('data-state'), await creation.innerText()).toBe('ready')
  // The one before is a line above it now, its next step still at hand.
  const earlier = page.locator(`[data-testid="creation-line"][data-name="${names.own}"]`)
  await expect(earlier).toHaveAttribute('data-state', 'ready')
  await expect(earlier.getByRole('button', { name: `Terminal in ${names.own}` })).toBeVisible()
  await saveScreens(page, 'new-workspace-after-two', { widths: [800, 1440], height: 1000 })
  const followsSetting = (await listed()).find((w) => w.name === names.setting)
  expect(followsSetting).toBeDefined()
  expect(followsSetting?.idleStopMinutes).toBeUndefined()

  // Each workspace's page says when it is stopped for being idle, and whose minutes those are.
  for (const [name, shown] of [
    [names.own, 'idle stop after 90 min'],
    [names.setting, `idle stop after ${SETTING_MINUTES} min (setting)`]
  ] as const) {
    await openView(page, 'Workspaces')
    await workspaceRow(page, name).getByTestId('workspace-open').click()
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
    await expect(page.getByTestId('workspace-page-idle-stop')).toHaveText(shown)
  }
  await saveScreens(page, 'workspace-page-idle-stop', { widths: [800, 1440], height: 700 })
  expect(errors).toEqual([])
})
