import { expect, test } from '@playwright/test'
import { SecondEngine } from '../support/second-engine'
import { saveScreens } from './support/screens'
import { ServeProcess } from './support/serve'

// A disposable second dockerd: stopping it leaves the main engine alone (CONVENTIONS.md).
let engine: SecondEngine
let serve: ServeProcess

test.beforeAll(async () => {
  engine = await SecondEngine.create()
  serve = await ServeProcess.start({ env: { DOCKER_HOST: engine.endpoint.url } })
})

test.afterAll(async () => {
  await serve?.dispose()
  await engine?.dispose()
})

test('the page follows the engine stopping and starting again, without a reload', async ({ page }) => {
  await page.goto(`${serve.info.url}#/engine`)
  const status = page.getByTestId('engine-status')
  await expect(status).toHaveAttribute('data-state', 'connected')
  await page.evaluate(() => Object.assign(window, { e2eMarker: 'this page' }))

  await engine.stop()
  await expect(status).toHaveAttribute('data-state', 'unreachable', { timeout: 60_000 })
  await expect(page.getByTestId('engine-state')).toHaveText('Not reachable')
  await expect(page.getByTestId('engine-hint')).toContainText(`Check DOCKER_HOST (${engine.endpoint.url})`)
  await expect(page.getByTestId('engine-retry')).toContainText(/(Next attempt in \d+ s|Trying again now…)Attempt \d+/)
  await expect(page.getByTestId('status-bar-engine')).toContainText('Engine: not reachable')
  await saveScreens(page, 'engine-not-reachable')

  await engine.start()
  await expect(status).toHaveAttribute('data-state', 'connected', { timeout: 90_000 })
  await expect(page.getByTestId('engine-hint')).toHaveCount(0)
  expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('this page')
  await saveScreens(page, 'engine-reconnected')
})
