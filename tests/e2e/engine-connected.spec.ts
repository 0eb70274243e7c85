import os from 'node:os'
import { expect, test } from '@playwright/test'
import { EngineConnection, resolveEngineEndpoint } from '../../src-main/core/engine'
import { collectPageErrors } from './support/console'
import { saveScreens } from './support/screens'
import { ServeProcess } from './support/serve'
import { openSocket, request } from './support/ws-client'

let serve: ServeProcess
let serverVersion: string

test.beforeAll(async () => {
  // What the page must show: the main engine's version, asked directly.
  const connection = new EngineConnection(resolveEngineEndpoint({ env: process.env, platform: process.platform, homedir: os.homedir() }))
  try {
    const status = await connection.check()
    if (status.state !== 'connected') throw new Error(`The main Docker engine must run for this test: ${status.message}\n${status.hint}`)
    serverVersion = status.server.serverVersion
  } finally {
    connection.close()
  }
  serve = await ServeProcess.start()
})

test.afterAll(async () => {
  expect(await serve?.stop()).toBe(0)
  await serve?.dispose()
})

test('the first screen is the Workspaces list with the engine connected; the Engine page shows its version', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(serve.info.url)
  // The engine answers: the window opens on the workspaces (Engine is the first view only when it does not).
  await expect(page.getByRole('heading', { level: 1, name: 'Workspaces' })).toBeVisible()
  // The token left the address bar; the first view took the place of the empty path.
  expect(page.url()).toBe(`${serve.origin}/#/workspaces`)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Engine' }).click()

  const status = page.getByTestId('engine-status')
  await expect(status).toHaveAttribute('data-state', 'connected')
  await expect(page.getByTestId('engine-state')).toHaveText('Connected')
  await expect(status).toContainText(`Docker Engine ${serverVersion}`)
  await expect(page.getByTestId('status-bar-engine')).toHaveText(`Engine: connected · ${serverVersion}`)
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Engine' })).toHaveAttribute('aria-current', 'page')
  // Every item in the sidebar leads somewhere: none is shown disabled.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Terminals/ })).toBeEnabled()
  await expect(page.getByRole('navigation', { name: 'Main' }).locator('button:disabled')).toHaveCount(0)

  // The token lives in this tab's sessionStorage only.
  expect(await page.evaluate(() => sessionStorage.getItem('sandlot.token'))).toBe(serve.info.token)

  await saveScreens(page, 'engine-connected')
  // No CSP violation, no uncaught error, no failed request.
  expect(errors).toEqual([])
})

test('a reload keeps the tab signed in', async ({ page }) => {
  await page.goto(`${serve.info.url}#/engine`)
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'connected')
  await page.reload()
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'connected')
})

test('the appearance setting pins the theme, whatever the OS prefers', async ({ page }) => {
  const outcome = await openSocket(serve, { token: serve.info.token, origin: serve.origin })
  if (!outcome.opened) throw new Error(`refused with ${outcome.status}`)
  const setTheme = (theme: string) => request(outcome.socket, 'settings.update', { appearance: { theme } })
  try {
    expect(await setTheme('dark')).toMatchObject({ type: 'result' })
    await page.emulateMedia({ colorScheme: 'light' })
    await page.goto(serve.info.url)
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    // --bg-app's dark side.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(14, 14, 16)')
    // Both shots are dark: the setting wins over the OS preference.
    await saveScreens(page, 'theme-setting-dark')
  } finally {
    await setTheme('system')
    outcome.socket.close()
  }
})
