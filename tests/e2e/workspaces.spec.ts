import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { collectPageErrors } from './support/console'
import { callCore } from './support/instance'
import { saveScreens } from './support/screens'
import { ServeProcess, testSettings } from './support/serve'
import { openView, workspaceRow } from './support/views'

// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const id = Math.random().toString(16).slice(2, 8)
const names = { shell: `e2e-sh-${id}`, api: `e2e-api-${id}`, broken: `e2e-broken-${id}` }

let templateDir: string
let serve: ServeProcess

test.beforeAll(async () => {
  // A template whose install prints for a few seconds, then fails as a missing npm package would.
  templateDir = await mkdtemp(join(tmpdir(), 'sandlot-e2e-template-'))
  await writeFile(
    join(templateDir, 'template.json'),
    JSON.stringify({
      id: `e2e-broken-${id}`,
      name: 'Broken install',
      description: 'Its install fails, as an unpublished dependency would.',
      icon: '🧪',
      install: 'for i in $(seq 1 12); do echo "fetching package $i of 12"; sleep 1; done; echo "npm ERR! code E404"; echo "npm ERR! 404 Not Found - left-pad"; exit 1'
    })
  )
  // The core image builds FROM the offline base (or SANDLOT_TEST_BASE_IMAGE): nothing is pulled from a registry.
  serve = await ServeProcess.start({ settings: testSettings(1) })
})

test.afterAll(async () => {
  await serve?.dispose()
  if (templateDir !== undefined) await rm(templateDir, { recursive: true, force: true })
})

/** Calls the core over the server's WebSocket, as another client (another tab, a script) would. */
const call = (method: string, params: unknown): Promise<any> => callCore(serve, method, params)

async function openWorkspaces(page: Page): Promise<void> {
  await page.goto(serve.info.url)
  await openView(page, 'Workspaces')
}

test('a shell workspace made through the page: ready in the list, stopped, started and removed', async ({ page }) => {
  const errors = collectPageErrors(page)
  await openWorkspaces(page)
  const empty = page.getByTestId('workspaces-empty')
  await expect(empty).toContainText('No workspaces yet')
  await saveScreens(page, 'workspaces-empty')

  await empty.getByRole('button', { name: 'New workspace' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'New workspace' })).toBeFocused()
  const shellCard = page.getByRole('button', { name: 'Create a workspace from Shell' })
  await expect(shellCard).toContainText('Nothing installed or started')
  await expect(page.getByRole('button', { name: 'Create a workspace from React + Vite + TypeScript' })).toContainText('Installs with npm ci')
  await saveScreens(page, 'workspace-new')

  await page.getByLabel('Name').fill(names.shell)
  await shellCard.click()
  const creation = page.getByTestId('creation')
  await expect(creation).toBeVisible()
  // The panel above the form takes the focus from the clicked card: a screen reader hears how it goes.
  await expect(creation.getByRole('heading', { level: 2 })).toBeFocused()
  await expect(creation).toHaveAttribute('data-state', 'ready', { timeout: 180_000 })
  await expect(creation.getByRole('heading', { name: `${names.shell} is ready` })).toBeFocused()
  await expect(creation.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100')
  // The steps of a template without install and start, and what the core said on the way.
  await expect(creation.getByRole('list', { name: 'Steps' })).toHaveText(/Container.*Files.*Ready/)
  await expect(page.getByTestId('creation-output')).toContainText(/warm container from the pool|The pool is empty/)
  await saveScreens(page, 'workspace-created')

  // The form stays below it, cleared (the name just used is taken), without the note about the core image it built;
  // putting the result away hands the focus to the name.
  await expect(page.getByLabel('Name')).toHaveValue('')
  await expect(shellCard).toBeVisible()
  await creation.getByTestId('creation-dismiss').click()
  await expect(creation).toHaveCount(0)
  await expect(page.getByLabel('Name')).toBeFocused()
  await expect(page.getByTestId('image-note')).toHaveCount(0)
  await openView(page, 'Workspaces')
  const shell = workspaceRow(page, names.shell)
  await expect(shell).toHaveAttribute('data-status', 'ready')
  await expect(shell).toHaveAttribute('data-container', 'running')
  await expect(shell.getByTestId('workspace-state')).toHaveText(/No app\s*running/)
  await expect(shell).toContainText('Shell')
  // A template without a port has nothing to preview (the node-api workspace below has a link).
  await expect(shell.getByTestId('workspace-preview')).toHaveCount(0)
  await expect(shell).toContainText('No preview')
  await saveScreens(page, 'workspaces-list')

  await shell.getByRole('button', { name: `Stop ${names.shell}`, exact: true }).click()
  await expect(shell).toHaveAttribute('data-container', 'exited', { timeout: 60_000 })
  await expect(shell.getByRole('button', { name: `Stop ${names.shell}`, exact: true })).toBeDisabled()
  // Stop cannot act any more: the focus moved on to Start rather than falling to the page.
  await expect(shell.getByRole('button', { name: `Start ${names.shell}`, exact: true })).toBeFocused()
  await saveScreens(page, 'workspaces-stopped')

  await shell.getByRole('button', { name: `Start ${names.shell}`, exact: true }).click()
  await expect(shell).toHaveAttribute('data-container', 'running', { timeout: 60_000 })

  await shell.getByRole('button', { name: `Remove ${names.shell}`, exact: true }).click()
  const dialog = page.getByRole('dialog', { name: `Remove ${names.shell}?` })
  await expect(dialog).toHaveAccessibleDescription(/^It is running\. Sandlot stops it/)
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await saveScreens(page, 'workspace-remove-confirm')
  // Escape keeps it.
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(shell).toBeVisible()

  await shell.getByRole('button', { name: `Remove ${names.shell}`, exact: true }).click()
  await dialog.getByRole('button', { name: 'Stop and remove' }).click()
  await expect(shell).toHaveCount(0, { timeout: 60_000 })
  await expect(empty).toBeVisible()
  // Its row went with the focused button; the focus went to the page's own action.
  await expect(page.locator('.page__header').getByRole('button', { name: 'New workspace' })).toBeFocused()
  expect(errors).toEqual([])
})

test('creates that fail say why: an invalid name, a taken name, a failing install', async ({ page }) => {
  const errors = collectPageErrors(page)
  // Made by another client: the list picks it up on its own.
  const api = await call('workspaces.create', { template: 'node-api', name: names.api })
  expect(api.previewUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  await call('templates.add', { folder: templateDir })

  await openWorkspaces(page)
  const apiRow = workspaceRow(page, names.api)
  await expect(apiRow).toHaveAttribute('data-container', 'running')
  const preview = apiRow.getByTestId('workspace-preview')
  await expect(preview).toHaveAttribute('href', api.previewUrl)
  await expect(preview).toHaveAttribute('target', '_blank')
  await expect(preview).toHaveAttribute('rel', 'noopener noreferrer')
  await page.getByRole('button', { name: 'New workspace' }).click()

  // An invalid name is refused as the contract would, before anything is asked of the core.
  const nameField = page.getByLabel('Name')
  await nameField.fill('My App')
  await expect(nameField).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('name-help')).toHaveText('Use 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit.')
  await page.getByRole('button', { name: 'Create a workspace from Shell' }).click()
  await expect(nameField).toBeFocused()
  await expect(page.getByTestId('creation')).toHaveCount(0)
  await saveScreens(page, 'workspace-name-invalid')

  // A taken name: the core's message and hint.
  await nameField.fill(names.api)
  await page.getByRole('button', { name: 'Create a workspace from Shell' }).click()
  const creation = page.getByTestId('creation')
  await expect(creation).toHaveAttribute('data-state', 'failed')
  const problem = page.getByTestId('creation-error')
  await expect(problem).toHaveAttribute('data-code', 'CONFLICT')
  await expect(problem).toContainText(`A workspace named "${names.api}" already exists.`)
  await expect(problem).toContainText(`Pick another name, or remove it first with sandlot rm ${names.api}.`)
  await saveScreens(page, 'workspace-create-conflict')
  await creation.getByRole('button', { name: 'Edit and try again' }).click()
  await expect(nameField).toHaveValue(names.api)
  await expect(nameField).toBeFocused()

  // A failing install: its output streams in, then the error with the last lines.
  await nameField.fill(names.broken)
  await page.getByRole('button', { name: 'Create a workspace from Broken install' }).click()
  await expect(page.getByTestId('creation-message')).toContainText('fetching package', { timeout: 120_000 })
  await expect(creation.getByRole('list', { name: 'Steps' })).toHaveText(/Container.*Files.*Dependencies.*Ready/)
  await saveScreens(page, 'workspace-creating')

  // It goes on while the list is shown, with its progress there, and stays listed once it failed.
  await creation.getByRole('button', { name: 'Go to Workspaces' }).click()
  const broken = workspaceRow(page, names.broken)
  await expect(broken).toHaveAttribute('data-status', 'creating')
  await expect(broken.getByRole('progressbar')).toBeVisible()
  await saveScreens(page, 'workspaces-creating')
  // Removing it now would cancel the creation, and the question says so.
  await broken.getByRole('button', { name: `Remove ${names.broken}`, exact: true }).click()
  await expect(page.getByRole('dialog')).toContainText('It is still being created; removing cancels it')
  await page.keyboard.press('Escape')
  await expect(broken).toHaveAttribute('data-status', 'failed', { timeout: 120_000 })
  await expect(broken.getByTestId('workspace-state')).toHaveText(/Failed/)
  await expect(broken.getByTestId('workspace-error')).toContainText('npm ERR! code E404')
  await saveScreens(page, 'workspaces-failed')
  // A failed create offers Retry and Remove; a narrow window keeps them, as icons with their names.
  await page.setViewportSize({ width: 980, height: 800 })
  await expect(broken.getByRole('button', { name: `Retry ${names.broken}`, exact: true })).toBeVisible()
  await expect(broken.getByRole('button', { name: `Remove ${names.broken}`, exact: true })).toBeVisible()
  await saveScreens(page, 'workspaces-narrow')
  await page.setViewportSize({ width: 1280, height: 800 })

  // Back on the New workspace page: the form, with a line above it saying how the creation ended (it ended while
  // the page was not shown); its details open the full panel.
  await page.getByRole('button', { name: 'New workspace' }).click()
  await expect(page.getByLabel('Name')).toBeVisible()
  const line = page.locator(`[data-testid="creation-line"][data-name="${names.broken}"]`)
  await expect(line).toHaveAttribute('data-state', 'failed')
  await expect(line).toContainText(`Could not create ${names.broken}`)
  await saveScreens(page, 'workspace-create-failed-line')
  await line.getByRole('button', { name: 'Details' }).click()
  await expect(creation).toHaveAttribute('data-state', 'failed')
  await expect(problem).toHaveAttribute('data-code', 'INSTALL_FAILED')
  await expect(problem).toContainText('exited with code 1.')
  await expect(problem.getByLabel('Last lines of output')).toContainText('npm ERR! 404 Not Found - left-pad')
  await saveScreens(page, 'workspace-create-failed')
  await creation.getByRole('button', { name: 'Go to Workspaces' }).click()

  for (const name of [names.broken, names.api]) {
    await workspaceRow(page, name).getByRole('button', { name: `Remove ${name}`, exact: true }).click()
    await page.getByRole('dialog').getByRole('button', { name: /remove/i }).click()
    await expect(workspaceRow(page, name)).toHaveCount(0, { timeout: 60_000 })
  }
  await expect(page.getByTestId('workspaces-empty')).toBeVisible()
  expect(errors).toEqual([])
})

test('without a Docker engine the Workspaces view says what to do', async ({ page }) => {
  const errors = collectPageErrors(page)
  const unreachable = 'unix:///nonexistent/sandlot-e2e-docker.sock'
  const offline = await ServeProcess.start({ env: { DOCKER_HOST: unreachable } })
  try {
    await page.goto(offline.info.url)
    await openView(page, 'Workspaces')
    const blocked = page.getByTestId('workspaces-engine-down')
    await expect(blocked).toContainText('The Docker engine is not reachable')
    // What went wrong, then what to do.
    await expect(blocked).toContainText(`No answer from ${unreachable}`)
    await expect(blocked).toContainText(`Check DOCKER_HOST (${unreachable})`)
    await expect(page.getByRole('button', { name: 'New workspace' })).toBeDisabled()
    await saveScreens(page, 'workspaces-engine-down')
    await blocked.getByRole('button', { name: 'Open the Engine page' }).click()
    await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'unreachable')
  } finally {
    await offline.dispose()
  }
  expect(errors).toEqual([])
})

test('while the link to sandlot serve is down the view is out of reach, and the focus comes back with the link', async ({ page }) => {
  // No engine: nothing is made on one, and the page has a button to hold the focus.
  const env = { DOCKER_HOST: 'unix:///nonexistent/sandlot-e2e-docker.sock' }
  let server = await ServeProcess.start({ env })
  try {
    await page.goto(server.info.url)
    await openView(page, 'Workspaces')
    const engineButton = page.getByRole('button', { name: 'Open the Engine page' })
    await engineButton.focus()

    expect(await server.stop()).toBe(0)
    await expect(page.getByTestId('connection-banner')).toBeVisible()
    // Greyed out and inert: neither a click nor a key acts on what it shows.
    await expect(page.locator('.main__view')).toHaveAttribute('inert', '')
    await expect(engineButton).not.toBeFocused()

    server = await ServeProcess.start({ env, home: server.home, port: server.info.port })
    await expect(page.getByTestId('connection-banner')).toHaveCount(0, { timeout: 60_000 })
    await expect(page.locator('.main__view')).not.toHaveAttribute('inert')
    await expect(engineButton).toBeFocused()
  } finally {
    await server.dispose()
  }
})
