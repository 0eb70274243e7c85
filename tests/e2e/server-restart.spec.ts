import { expect, test } from '@playwright/test'
import { saveScreens } from './support/screens'
import { ServeProcess } from './support/serve'

let serve: ServeProcess | undefined

test.afterAll(async () => {
  await serve?.dispose()
})

test('the page reconnects on its own when sandlot serve restarts', async ({ page }) => {
  const first = await ServeProcess.start()
  serve = first
  await page.goto(`${first.info.url}#/engine`)
  await expect(page.getByTestId('engine-status')).toBeVisible()
  await page.evaluate(() => Object.assign(window, { e2eMarker: 'this page' }))

  expect(await first.stop()).toBe(0)
  const banner = page.getByTestId('connection-banner')
  await expect(banner).toContainText('Lost the connection to sandlot serve.')
  await expect(page.getByTestId('status-bar-engine')).toHaveText('Engine: unknown')
  await saveScreens(page, 'server-disconnected')

  // Same data folder (so the same token) and the same port, as a user restarting it would have.
  serve = await ServeProcess.start({ home: first.home, port: first.info.port })
  expect(serve.info.token).toBe(first.info.token)
  await expect(banner).toHaveCount(0, { timeout: 60_000 })
  await expect(page.getByTestId('engine-status')).toBeVisible()
  expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('this page')
})
