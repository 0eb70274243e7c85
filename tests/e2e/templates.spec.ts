import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { collectPageErrors } from './support/console'
import { saveScreens } from './support/screens'
import { ServeProcess } from './support/serve'
import { openView } from './support/views'

const id = `e2e-tpl-${Math.random().toString(16).slice(2, 8)}`
let serve: ServeProcess
let folder: string

test.beforeAll(async () => {
  serve = await ServeProcess.start()
  // A plain project folder: the template is inferred from its package.json.
  folder = await mkdtemp(join(tmpdir(), 'sandlot-e2e-project-'))
  await writeFile(join(folder, 'package.json'), JSON.stringify({ name: id, scripts: { dev: 'vite' }, devDependencies: { vite: '^6.0.0' } }))
  await writeFile(join(folder, 'index.html'), '<h1>hi</h1>\n')
})

test.afterAll(async () => {
  await serve?.dispose()
  if (folder !== undefined) await rm(folder, { recursive: true, force: true })
})

async function openTemplates(page: Page): Promise<void> {
  await page.goto(serve.info.url)
  await openView(page, 'Templates')
}

const row = (page: Page, templateId: string) => page.locator(`[data-testid="template-row"][data-id="${templateId}"]`)

test('the Templates view lists the built-in templates and shows what one holds', async ({ page }) => {
  const errors = collectPageErrors(page)
  await openTemplates(page)
  for (const builtin of ['react-vite-ts', 'node-api', 'shell']) await expect(row(page, builtin)).toContainText('Built in')
  // Built-in templates cannot be removed: no Remove button.
  await expect(row(page, 'shell').getByRole('button', { name: /Remove/ })).toHaveCount(0)
  await row(page, 'react-vite-ts').getByRole('button', { name: 'Show' }).click()
  const detail = row(page, 'react-vite-ts').getByTestId('template-detail')
  await expect(detail).toContainText('npm ci')
  await expect(detail).toContainText(/Preview port\s*5173/)
  expect(errors).toEqual([])
})

test('the Templates view adds a folder (refusing a relative path and a file first) and removes it again', async ({ page }) => {
  const errors = collectPageErrors(page)
  await openTemplates(page)
  const add = page.getByTestId('template-add')
  const field = add.getByRole('textbox', { name: 'Add a template from a folder' })

  await field.fill('projects/mine')
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  await expect(add.getByRole('button', { name: 'Add' })).toBeDisabled()

  await field.fill(join(folder, 'package.json'))
  await add.getByRole('button', { name: 'Add' }).click()
  await expect(add.getByTestId('template-add-error')).toContainText(`${join(folder, 'package.json')} is a file, not a folder.`)

  await field.fill(folder)
  await add.getByRole('button', { name: 'Add' }).click()
  await expect(add.getByTestId('template-added')).toContainText(`Added`)
  await expect(add.getByTestId('template-added')).toContainText(id)
  const mine = row(page, id)
  await expect(mine).toContainText('Yours')
  await mine.getByRole('button', { name: 'Show' }).click()
  await expect(mine.getByTestId('template-detail')).toContainText('npm run dev')
  await saveScreens(page, 'templates')

  // Added again without "Replace": the core's refusal, as it words it.
  await field.fill(folder)
  await add.getByRole('button', { name: 'Add' }).click()
  await expect(add.getByTestId('template-add-error')).toContainText(`There is a template "${id}" already.`)

  await mine.getByRole('button', { name: `Remove ${id}` }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Remove template' }).click()
  await expect(row(page, id)).toHaveCount(0)
  await expect(row(page, 'shell')).toBeVisible()
  expect(errors).toEqual([])
})
