import { chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { collectPageErrors } from './support/console'
import { saveScreens } from './support/screens'
import { ServeProcess, testSettings } from './support/serve'
import { openView } from './support/views'

// A folder on the host, mounted through the New workspace view: an edit on the host is what the preview serves.
const name = `e2e-folder-${Math.random().toString(16).slice(2, 8)}`

let folder: string
let serve: ServeProcess

test.beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'sandlot-e2e-folder-'))
  writeFileSync(join(folder, 'template.json'), JSON.stringify({ id: 'mounted', name: 'Mounted', start: 'node server.js', port: 4500, readyPattern: 'listening' }))
  // Reads the file at each request, as a dev server serves what is on disk now.
  writeFileSync(
    join(folder, 'server.js'),
    "const fs = require('fs'); require('http').createServer((q, s) => s.end(fs.readFileSync('message.txt', 'utf8'))).listen(4500, '0.0.0.0', () => console.log('listening'))\n"
  )
  writeFileSync(join(folder, 'message.txt'), 'first')
  // The container's user is node (uid 1000), as the user's own files are on a usual Linux desktop.
  if (process.getuid?.() === 0) for (const path of [folder, ...readdirSync(folder).map((p) => join(folder, p))]) chownSync(path, 1000, 1000)
  serve = await ServeProcess.start({ settings: testSettings(0) })
})

test.afterAll(async () => {
  await serve?.dispose()
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true })
})

test('a workspace from a host folder, mounted through the New workspace view, serves an edit made on the host', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(serve.info.url)
  await openView(page, 'Workspaces')
  await page.getByRole('button', { name: 'New workspace' }).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'New workspace' })).toBeVisible()

  // A browser cannot give a host path: only the typed one, no picker.
  await expect(page.getByTestId('folder-choose')).toHaveCount(0)
  await page.getByTestId('folder-path').fill('projects/site')
  await expect(page.getByTestId('folder-help')).toContainText('Give the full path')
  await expect(page.getByTestId('folder-create')).toBeDisabled()

  // The core's refusal is shown with its reason, and the form comes back with the name kept.
  await page.getByLabel('Name').fill(name)
  await page.getByTestId('folder-path').fill(join(folder, 'server.js'))
  await page.getByTestId('folder-mount').check()
  await page.getByTestId('folder-create').click()
  const creation = page.getByTestId('creation')
  await expect(creation).toHaveAttribute('data-state', 'failed', { timeout: 60_000 })
  await expect(creation).toContainText(`${join(folder, 'server.js')} is a file, not a folder.`)
  await creation.getByRole('button', { name: 'Edit and try again' }).click()
  await expect(page.getByLabel('Name')).toHaveValue(name)

  await page.getByTestId('folder-path').fill(folder)
  await page.getByTestId('folder-mount').check()
  await page.getByTestId('folder-mount').focus()
  await saveScreens(page, 'new-workspace-folder', { widths: [560, 1400] })
  await page.getByTestId('folder-create').click()

  await expect(creation).toHaveAttribute('data-state', /ready|failed/, { timeout: 180_000 })
  expect(await creation.getAttribute('data-state'), await creation.innerText()).toBe('ready')
  const href = await creation.locator('a[href^="http://127.0.0.1:"]').getAttribute('href')
  expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(await (await fetch(href!)).text()).toBe('first')

  writeFileSync(join(folder, 'message.txt'), 'edited on the host')
  await expect.poll(async () => (await fetch(href!)).text(), { timeout: 30_000 }).toBe('edited on the host')
  expect(errors).toEqual([])
})
