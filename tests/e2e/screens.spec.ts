import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from '@playwright/test'
import { collectPageErrors } from './support/console'
import { callCore } from './support/instance'
import { saveScreens } from './support/screens'
import { ServeProcess, testSettings } from './support/serve'
import { openView, workspaceRow } from './support/views'

// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const id = Math.random().toString(16).slice(2, 8)
const names = { shell: `e2e-screens-${id}`, long: `e2e-a-rather-long-workspace-name-to-truncate-${id}`, failing: `e2e-fails-${id}`, stuck: `e2e-gaveup-${id}` }
const templateId = `e2e-needs-ok-${id}`
const stuckTemplateId = `e2e-gives-up-${id}`
const run = promisify(execFile)
const MISSING_EDITOR = `/nonexistent/sandlot-e2e-code-${id}`
const editorButton = (name: string) => `Open ${name} in your editor (VS Code attached to its container)`
let serve: ServeProcess
let templateDir: string
let stuckTemplateDir: string

test.beforeAll(async () => {
  // Its install fails until the template holds a file named ok: a cause the user can fix.
  templateDir = await mkdtemp(join(tmpdir(), 'sandlot-e2e-template-'))
  await writeFile(
    join(templateDir, 'template.json'),
    JSON.stringify({ id: templateId, name: 'Needs ok', description: 'Fails until fixed.', install: 'test -f ok || { echo "the ok file is missing"; exit 3; }' })
  )
  // An app that is ready until /tmp/crash exists; then it exits at once, and after one restart the monitor gives up.
  stuckTemplateDir = await mkdtemp(join(tmpdir(), 'sandlot-e2e-template-'))
  await writeFile(
    join(stuckTemplateDir, 'template.json'),
    JSON.stringify({
      id: stuckTemplateId,
      name: 'Gives up',
      description: 'Crashes on demand.',
      start: 'if [ -f /tmp/crash ]; then echo "crashing on purpose"; exit 3; fi; echo "app ready"; exec sleep 86400',
      readyPattern: 'app ready',
      restart: { policy: 'on-failure', maxRestarts: 1, backoffMs: 50 }
    })
  )
  // An editor command that is not there, whatever the machine has installed: Editor must say what to install.
  serve = await ServeProcess.start({ settings: { ...testSettings(0), editor: { command: MISSING_EDITOR } } })
  await callCore(serve, 'templates.add', { folder: templateDir })
  await callCore(serve, 'templates.add', { folder: stuckTemplateDir })
  await callCore(serve, 'workspaces.create', { template: 'shell', name: names.shell })
  await callCore(serve, 'workspaces.create', { template: 'shell', name: names.long })
})

test.afterAll(async () => {
  await serve?.dispose()
  for (const dir of [templateDir, stuckTemplateDir]) if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

test('a failed create is retried from its row once its cause is fixed', async ({ page }) => {
  const errors = collectPageErrors(page)
  await expect(callCore(serve, 'workspaces.create', { template: templateId, name: names.failing })).rejects.toThrow(/INSTALL_FAILED/)
  await page.goto(serve.info.url)
  await openView(page, 'Workspaces')
  const failed = workspaceRow(page, names.failing)
  await expect(failed).toHaveAttribute('data-status', 'failed')
  await expect(failed.getByTestId('workspace-error')).toContainText('exited with code 3')
  // A failed create offers what can be done with it: nothing else.
  const actions = failed.getByRole('group', { name: `Actions for ${names.failing}` })
  await expect(actions.getByRole('button', { name: `Retry ${names.failing}` })).toBeVisible()
  await expect(actions.getByRole('button', { name: `Remove ${names.failing}` })).toBeVisible()
  await expect(actions.getByRole('button', { name: `Start ${names.failing}` })).toHaveCount(0)
  await saveScreens(page, 'workspace-failed')

  await writeFile(join(templateDir, 'ok'), 'fixed\n')
  await callCore(serve, 'templates.add', { folder: templateDir, replace: true })
  await actions.getByRole('button', { name: `Retry ${names.failing}` }).click()
  await expect(failed).toHaveAttribute('data-status', 'ready', { timeout: 120_000 })
  await expect(failed.getByTestId('workspace-error')).toHaveCount(0)
  await expect(failed.getByTestId('workspace-state')).toContainText('running')
  expect(errors).toEqual([])
})

test('Editor on a row and on a workspace page says what to install when the editor is missing', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.setViewportSize({ width: 1600, height: 900 })
  await page.goto(serve.info.url)
  await openView(page, 'Workspaces')
  const row = workspaceRow(page, names.shell)
  await row.getByRole('button', { name: editorButton(names.shell), exact: true }).click()
  const problem = row.getByTestId('workspace-action-error')
  // The hint's `commands` show as code: the text has no backquotes.
  await expect(problem).toContainText(`The editor command ${MISSING_EDITOR} was not found on this machine.`)
  await expect(problem).toContainText('https://code.visualstudio.com')
  await saveScreens(page, 'workspace-editor-missing', { widths: [1600, 640], height: 900 })
  await problem.getByRole('button', { name: /dismiss/i }).click()

  await row.getByTestId('workspace-open').click()
  await expect(page.getByRole('heading', { level: 1, name: names.shell })).toBeVisible()
  await page.getByRole('group', { name: `Actions for ${names.shell}` }).getByRole('button', { name: 'Open in editor' }).click()
  const failed = page.getByRole('alert').filter({ hasText: 'Open in editor failed.' })
  await expect(failed).toContainText(`The editor command ${MISSING_EDITOR} was not found on this machine.`)
  await expect(failed).toContainText('sandlot config set editor.command')
  await saveScreens(page, 'workspace-page-editor-missing', { widths: [1600], height: 900 })
  expect(errors).toEqual([])
})

test('a shell workspace made in the window ends with its next step: a terminal', async ({ page }) => {
  const name = `e2e-shell-next-${id}`
  await page.goto(serve.info.url)
  await openView(page, 'Workspaces')
  await page.locator('.page__header').getByRole('button', { name: 'New workspace' }).click()
  await page.getByLabel('Name').fill(name)
  await page.getByRole('button', { name: 'Create a workspace from Shell' }).click()
  const creation = page.getByTestId('creation')
  await expect(creation).toHaveAttribute('data-state', 'ready', { timeout: 180_000 })
  // Its next step is the primary action, labelled at any width, with its page one click away.
  const terminal = creation.getByRole('button', { name: `Terminal in ${name}` })
  await expect(terminal).toHaveAttribute('aria-disabled', 'false')
  await expect(terminal).toHaveClass(/button--primary/)
  await page.setViewportSize({ width: 800, height: 900 })
  await expect(terminal).toHaveText('Open terminal')
  await expect(creation.getByTestId('creation-open-page')).toHaveText(`Open ${name}`)
  await saveScreens(page, 'workspace-created-shell', { widths: [800, 1440] })

  // Back from the list, New workspace opens on the form; the result it showed is not shown again.
  await openView(page, 'Workspaces')
  await page.locator('.page__header').getByRole('button', { name: 'New workspace' }).click()
  await expect(page.getByLabel('Name')).toHaveValue('')
  await expect(page.getByTestId('creation')).toHaveCount(0)
  await expect(page.getByTestId('creation-line')).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Create a workspace from Shell' })).toBeVisible()
  await callCore(serve, 'workspaces.remove', { name, force: true })
})

test('an app that gave up keeps Restart app in view, on its page and in its row; once removed, its page shows its kept history', async ({ page }) => {
  const errors = collectPageErrors(page)
  const name = names.stuck
  await callCore(serve, 'workspaces.create', { template: stuckTemplateId, name })
  const inApp = (script: string) => run('docker', ['exec', `sandlot-${name}`, 'sh', '-c', script])
  await inApp('touch /tmp/crash')
  await callCore(serve, 'workspaces.process', { name, action: 'restart' })
  await expect.poll(async () => (await callCore(serve, 'workspaces.get', { name })).app?.state, { timeout: 60_000 }).toBe('failed')

  // At 800 px the main actions are still buttons, the fix first and primary.
  await page.setViewportSize({ width: 800, height: 900 })
  await page.goto(`${serve.info.url}#/workspaces/${name}`)
  await expect(page.getByTestId('workspace-page-state')).toHaveAttribute('data-app', 'failed')
  const restartApp = page.getByTestId('workspace-page-app-restart')
  await expect(restartApp).toBeVisible()
  await expect(restartApp).toHaveClass(/button--primary/)
  await expect(page.getByTestId('workspace-page-app-start')).toBeVisible()
  await expect(page.getByTestId('workspace-page-editor')).toBeVisible()
  await saveScreens(page, 'workspace-page-gave-up', { widths: [800, 1440] })

  // The row offers the same fix, by name at any width; it brings the app back once the cause is gone.
  await page.setViewportSize({ width: 1000, height: 900 })
  await openView(page, 'Workspaces')
  const row = workspaceRow(page, name)
  await expect(row).toHaveAttribute('data-app', 'failed')
  const rowFix = row.getByRole('button', { name: `Restart the app in ${name}`, exact: true })
  await expect(rowFix).toContainText('Restart app')
  await saveScreens(page, 'workspaces-gave-up', { widths: [800, 1440] })
  await inApp('rm /tmp/crash')
  await rowFix.click()
  await expect(row).toHaveAttribute('data-app', 'ready', { timeout: 60_000 })
  await expect(row.getByRole('button', { name: `Restart the app in ${name}`, exact: true })).toHaveCount(0)

  // Removed: its page says so, shows its kept history, and links to the Logs and Errors views filtered to it.
  await callCore(serve, 'workspaces.remove', { name, force: true })
  await page.goto(`${serve.info.url}#/workspaces/${name}`)
  const gone = page.getByTestId('workspace-gone')
  await expect(gone).toHaveAttribute('data-history', 'kept')
  await expect(gone).toContainText(`${name} was removed.`)
  await expect(page.getByRole('tab', { name: 'Timeline' })).toBeVisible()
  await expect(page.getByRole('tab', { name: 'Files' })).toHaveCount(0)
  await expect(page.getByText('crashing on purpose').first()).toBeVisible()
  await expect(page.getByTestId('log-status')).toContainText('removed, nothing new comes')
  await saveScreens(page, 'workspace-page-removed', { widths: [800, 1440] })
  await gone.getByRole('link', { name: 'In Logs' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Logs' })).toBeVisible()
  const filter = page.getByTestId('history-workspace')
  await expect(filter).toHaveValue(name)
  await expect(filter.locator(`option[value="${name}"]`)).toHaveText(`${name} (removed)`)

  // One never made: said plainly, once, with no CLI command.
  await page.goto(`${serve.info.url}#/workspaces/never-made-${id}`)
  const none = page.getByTestId('workspace-gone')
  await expect(none).toContainText(`There is no workspace named never-made-${id}.`)
  await expect(none).not.toContainText('sandlot')
  await saveScreens(page, 'workspace-page-never-made', { widths: [800] })
  expect(errors).toEqual([])
})

for (const width of [640, 1024, 1200, 1440, 1600]) {
  test(`every view works at ${width} px: names readable, every action on screen (screenshots in both themes)`, async ({ page }) => {
    const errors = collectPageErrors(page)
    await page.setViewportSize({ width, height: 800 })
    await page.goto(serve.info.url)
    await openView(page, 'Workspaces')
    for (const name of [names.shell, names.long]) {
      const shown = workspaceRow(page, name).getByTestId('workspace-open')
      await expect(shown).toBeVisible()
      // Long names are cut with an ellipsis, never to nothing, and the whole name is in the tooltip.
      expect((await shown.boundingBox())!.width).toBeGreaterThan(60)
      await expect(shown).toHaveAttribute('title', new RegExp(name))
      for (const label of [`Remove ${name}`, editorButton(name)]) {
        const button = workspaceRow(page, name).getByRole('button', { name: label, exact: true })
        await expect(button).toBeVisible()
        const box = (await button.boundingBox())!
        expect(box.x + box.width).toBeLessThanOrEqual(width)
      }
    }
    // Built-in templates show their SVG icons, not emoji.
    await expect(workspaceRow(page, names.shell).getByTestId('template-icon-image')).toBeVisible()
    await saveScreens(page, `w${width}-workspaces`)
    await workspaceRow(page, names.shell).getByTestId('workspace-open').click()
    await expect(page.getByRole('heading', { level: 1, name: names.shell })).toBeVisible()
    await saveScreens(page, `w${width}-workspace-page`)
    for (const [label, screen] of [
      ['Engine', 'engine'],
      ['Templates', 'templates'],
      ['Settings', 'settings']
    ] as const) {
      await openView(page, label)
      // saveScreens checks that nothing scrolls sideways: the page fits the window.
      await saveScreens(page, `w${width}-${screen}`)
    }
    await openView(page, 'Workspaces')
    await page.locator('.page__header').getByRole('button', { name: 'New workspace' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'New workspace' })).toBeVisible()
    await expect(page.getByTestId('template-icon-image').first()).toBeVisible()
    await saveScreens(page, `w${width}-new-workspace`)
    expect(errors).toEqual([])
  })
}
