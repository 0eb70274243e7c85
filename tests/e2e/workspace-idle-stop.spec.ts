import { expect, test, type Page } from '@playwright/test'
import { runSandlot } from '../support/run-cli'
import { collectPageErrors } from './support/console'
import { saveScreens } from './support/screens'
import { ServeProcess, testSettings } from './support/serve'
import { openView, workspaceRow } from './support/views'

// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const name = `e2e-idle-edit-${Math.random().toString(16).slice(2, 8)}`
const RANGE = 'Give a whole number of minutes from 0 (never) to 10080 (a week).'
const SETTING_MINUTES = 45

let serve: ServeProcess

test.beforeAll(async () => {
  serve = await ServeProcess.start({ settings: { ...testSettings(0), workspaces: { idleStopMinutes: SETTING_MINUTES } } })
  // Made by the CLI with its own idle stop, as a user may have done before opening the window.
  const created = await runSandlot(['create', '--template', 'shell', '--name', name, '--idle-stop', '90', '--json'], { SANDLOT_HOME: serve.home })
  expect(created.code, created.stdout + created.stderr).toBe(0)
})

test.afterAll(async () => {
  await serve?.dispose()
})

/** The workspace's own idle stop as `sandlot ls --json` lists it from the server's data folder: what reached the core. */
async function listedIdleStop(): Promise<number | undefined> {
  const run = await runSandlot(['ls', '--json'], { SANDLOT_HOME: serve.home })
  expect(run.code, run.stderr).toBe(0)
  const workspace = (JSON.parse(run.stdout) as Array<{ name: string; idleStopMinutes?: number }>).find((w) => w.name === name)
  expect(workspace).toBeDefined()
  return workspace?.idleStopMinutes
}

async function openWorkspacePage(page: Page): Promise<void> {
  await page.goto(serve.info.url)
  await openView(page, 'Workspaces')
  await workspaceRow(page, name).getByTestId('workspace-open').click()
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
}

test("a workspace's idle stop is changed on its page: Escape and Cancel change nothing, a bad value is refused there, each save reaches the core and every open page", async ({ page }) => {
  const errors = collectPageErrors(page)
  await openWorkspacePage(page)
  // A second tab on the same page follows the changes without a reload.
  const other = await page.context().newPage()
  await openWorkspacePage(other)

  const label = page.getByTestId('workspace-page-idle-stop')
  const editor = page.getByTestId('idle-stop-editor')
  const minutes = editor.getByRole('textbox', { name: 'Minutes without use before it stops' })
  const help = editor.getByTestId('idle-stop-help')
  await expect(label).toHaveText('idle stop after 90 min')
  await expect(label).toHaveAttribute('aria-expanded', 'false')

  // It opens on what applies now; Escape closes it, changing nothing, and gives the focus back.
  await label.click()
  await expect(label).toHaveAttribute('aria-expanded', 'true')
  await expect(editor.getByRole('radio', { name: 'After' })).toBeChecked()
  await expect(editor.getByRole('radio', { name: 'After' })).toBeFocused()
  await expect(minutes).toHaveValue('90')
  await minutes.fill('5')
  await page.keyboard.press('Escape')
  await expect(editor).toHaveCount(0)
  await expect(label).toBeFocused()
  await expect(label).toHaveText('idle stop after 90 min')

  // The contract's refusal shows under the field; Save sends nothing.
  await label.click()
  await expect(minutes).toHaveValue('90')
  await minutes.fill('10081')
  await expect(help).toHaveText(RANGE)
  await expect(minutes).toHaveAttribute('aria-invalid', 'true')
  await editor.getByRole('button', { name: 'Save' }).click()
  await expect(minutes).toBeFocused()
  await expect(editor).toBeVisible()
  expect(await listedIdleStop()).toBe(90)
  await saveScreens(page, 'workspace-page-idle-stop-invalid', { widths: [800, 1440], height: 700 })

  await minutes.fill('20')
  await expect(minutes).toHaveAttribute('aria-invalid', 'false')
  await saveScreens(page, 'workspace-page-idle-stop-editor', { widths: [800, 1440], height: 700 })
  // Enter in the minutes saves, as a form does.
  await minutes.press('Enter')
  await expect(editor).toHaveCount(0)
  await expect(label).toHaveText('idle stop after 20 min')
  expect(await listedIdleStop()).toBe(20)
  await expect(other.getByTestId('workspace-page-idle-stop')).toHaveText('idle stop after 20 min')

  await label.click()
  await editor.getByRole('radio', { name: 'Never' }).check()
  await editor.getByRole('button', { name: 'Save' }).click()
  await expect(label).toHaveText('never idle-stopped')
  expect(await listedIdleStop()).toBe(0)

  // Cancel leaves it as it is.
  await label.click()
  await editor.getByRole('radio', { name: `Use the setting (${SETTING_MINUTES} min)` }).check()
  await editor.getByRole('button', { name: 'Cancel' }).click()
  await expect(editor).toHaveCount(0)
  await expect(label).toHaveText('never idle-stopped')

  // Back to the setting: the workspace has none of its own any more.
  await label.click()
  await expect(editor.getByRole('radio', { name: 'Never' })).toBeChecked()
  await editor.getByRole('radio', { name: `Use the setting (${SETTING_MINUTES} min)` }).check()
  await editor.getByRole('button', { name: 'Save' }).click()
  await expect(label).toHaveText(`idle stop after ${SETTING_MINUTES} min (setting)`)
  expect(await listedIdleStop()).toBeUndefined()
  await expect(other.getByTestId('workspace-page-idle-stop')).toHaveText(`idle stop after ${SETTING_MINUTES} min (setting)`)
  await saveScreens(page, 'workspace-page-idle-stop-saved', { widths: [800, 1440], height: 700 })
  expect(errors).toEqual([])
})
