import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { testBaseImage } from '../support/core-image'
import { collectPageErrors } from './support/console'
import { callCore } from './support/instance'
import { saveScreens } from './support/screens'
import { ServeProcess } from './support/serve'

const MISSING_BASE = 'sandlot/does-not-exist:1'

let base: string
let serve: ServeProcess

test.beforeAll(async () => {
  base = testBaseImage()
  // A base image no engine has: the pool cannot warm, and nothing tries to pull it in the background.
  serve = await ServeProcess.start({ settings: { image: { base: MISSING_BASE }, pool: { size: 1 } } })
  // The core image of the good base exists already, as after `sandlot image build --base`: only the setting is wrong.
  await callCore(serve, 'image.build', { base })
})

test.afterAll(async () => {
  await serve?.dispose()
})

const screens = (page: Page, name: string) => saveScreens(page, name, { widths: [640, 1600], height: 1000 })

test('the Engine view shows a pool that cannot warm, why and what to do, and turns green when the setting is fixed', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(`${serve.info.url}#/engine`)

  const pool = page.getByTestId('background-pool')
  await expect(pool).toHaveAttribute('data-state', 'Failing')
  await expect(page.getByTestId('background-pool-state')).toHaveText('Failing')
  const problem = page.getByTestId('background-pool-problem')
  await expect(problem).toContainText(`its base image ${MISSING_BASE} is not on the engine`)
  await expect(problem).toContainText('sandlot image build --base IMAGE')
  await expect(problem).toContainText(/Since (just now|\d+ s ago)/)
  await expect(page.getByTestId('background-image')).toHaveAttribute('data-state', 'Not built')
  await expect(page.getByTestId('background-image')).toContainText(MISSING_BASE)
  await screens(page, 'engine-background-failing')

  // Fixed from elsewhere (`sandlot config set image.base`, the Settings view): the page follows without a reload.
  await callCore(serve, 'settings.update', { image: { base } })
  await expect(pool).toHaveAttribute('data-state', 'Ready', { timeout: 60_000 })
  await expect(pool).toContainText('1 of 1 containers warm')
  await expect(page.getByTestId('background-image')).toHaveAttribute('data-state', 'Built')
  await expect(page.getByTestId('background-pool-problem')).toHaveCount(0)
  await screens(page, 'engine-background-recovered')
  expect(errors).toEqual([])

  // `serve` kept both in its log: the cause once, and its end.
  const log = await readFile(join(serve.home, 'logs', 'serve.log'), 'utf8')
  expect(log.split('\n').filter((line) => line.includes('The pool cannot warm containers'))).toHaveLength(1)
  expect(log).toContain('The workspace pool recovered: 1 of 1 warm.')
})
