import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { makeAppRepository, startGitDaemon } from '../support/git-repos'
import { collectPageErrors } from './support/console'
import { ServeProcess, testSettings } from './support/serve'
import { openView } from './support/views'

// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const name = `e2e-repo-${Math.random().toString(16).slice(2, 8)}`

let served: string
let serve: ServeProcess
let daemon: Awaited<ReturnType<typeof startGitDaemon>>

test.beforeAll(async () => {
  served = await mkdtemp(join(tmpdir(), 'sandlot-e2e-repos-'))
  makeAppRepository(served, 'app')
  daemon = await startGitDaemon(served)
  serve = await ServeProcess.start({ settings: testSettings(0) })
})

test.afterAll(async () => {
  daemon?.stop()
  await serve?.dispose()
  if (served !== undefined) await rm(served, { recursive: true, force: true })
})

test('a workspace from a repository URL and branch, made through the New workspace view, serves its preview', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(serve.info.url)
  await openView(page, 'Workspaces')
  await page.getByRole('button', { name: 'New workspace' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'New workspace' })).toBeVisible()

  await page.getByTestId('repository-url').fill('ext::sh -c id')
  await expect(page.getByTestId('repository-help')).toContainText('remote helper')
  await expect(page.getByTestId('repository-create')).toBeDisabled()

  await page.getByLabel('Name').fill(name)
  await page.getByTestId('repository-url').fill(daemon.url('app'))
  await page.getByTestId('repository-branch').fill('feature')
  await page.getByTestId('repository-create').click()
  const creation = page.getByTestId('creation')
  await expect(creation).toHaveAttribute('data-state', /ready|failed/, { timeout: 180_000 })
  expect(await creation.getAttribute('data-state'), await creation.innerText()).toBe('ready')
  const preview = creation.locator('a[href^="http://127.0.0.1:"]')
  const href = await preview.getAttribute('href')
  expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(await (await fetch(href!)).text()).toBe('feature  PORT=4100')
  expect(errors).toEqual([])
})
