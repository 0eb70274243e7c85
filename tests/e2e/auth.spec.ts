import { expect, test, type Page } from '@playwright/test'
import { saveScreens } from './support/screens'
import { ServeProcess } from './support/serve'
import { closeCode, openSocket, request } from './support/ws-client'

let serve: ServeProcess

test.beforeAll(async () => {
  serve = await ServeProcess.start()
})

test.afterAll(async () => {
  await serve?.dispose()
})

/** The sign-in hint and nothing of the app: no sidebar, no engine, no status bar. */
async function expectOnlySignIn(page: Page): Promise<void> {
  await expect(page.getByTestId('sign-in')).toBeVisible()
  await expect(page.getByTestId('sign-in')).toContainText('open the URL printed by sandlot serve')
  await expect(page.getByLabel('Access token')).toBeVisible()
  await expect(page.getByRole('navigation')).toHaveCount(0)
  await expect(page.getByTestId('engine-status')).toHaveCount(0)
  await expect(page.getByTestId('status-bar')).toHaveCount(0)
}

test('a page without a token shows only the sign-in hint', async ({ page }) => {
  await page.goto(`${serve.origin}/`)
  await expectOnlySignIn(page)
  await saveScreens(page, 'sign-in')
})

test('a page with a wrong token is refused, shows only the sign-in hint and forgets the token', async ({ page }) => {
  await page.goto(`${serve.origin}/?token=${'0'.repeat(64)}`)
  await expectOnlySignIn(page)
  await expect(page.getByRole('alert')).toHaveText('The server did not accept this token: check it, or it may have been replaced.')
  expect(page.url()).toBe(`${serve.origin}/`)
  expect(await page.evaluate(() => sessionStorage.getItem('sandlot.token'))).toBeNull()
  await saveScreens(page, 'sign-in-refused')
})

test('a token pasted into the sign-in page signs in as the URL does; a wrong one is refused and kept nowhere', async ({ page }) => {
  await page.goto(`${serve.origin}/#/settings`)
  const field = page.getByLabel('Access token')
  await field.fill('not a token')
  await field.press('Enter')
  await expect(page.getByTestId('sign-in-help')).toContainText('That is not a token')
  expect(page.url()).toBe(`${serve.origin}/#/settings`)

  await field.fill('0'.repeat(64))
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toContainText('did not accept this token')
  expect(await page.evaluate(() => sessionStorage.getItem('sandlot.token'))).toBeNull()
  await expectOnlySignIn(page)
  await saveScreens(page, 'sign-in-field', { widths: [800, 1440] })

  // The whole printed URL works too; the page asked for is kept.
  await page.getByLabel('Access token').fill(serve.info.url)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible()
  expect(page.url()).toBe(`${serve.origin}/#/settings`)
})

test('a WebSocket with a wrong or missing token is closed with 4401', async () => {
  for (const token of ['f'.repeat(64), '', undefined]) {
    const outcome = await openSocket(serve, { token, origin: serve.origin })
    expect(outcome.opened).toBe(true)
    if (outcome.opened) expect(await closeCode(outcome.socket)).toBe(4401)
  }
})

test('a WebSocket from another origin is refused before the handshake, even with the token', async () => {
  for (const origin of ['http://evil.example', `http://127.0.0.1:${serve.info.port + 1}`, 'null']) {
    expect(await openSocket(serve, { token: serve.info.token, origin })).toEqual({ opened: false, status: 403 })
  }
})

test('with the token and its own origin, the WebSocket answers; bad frames get an error and change nothing', async () => {
  const outcome = await openSocket(serve, { token: serve.info.token, origin: serve.origin })
  if (!outcome.opened) throw new Error(`refused with ${outcome.status}`)
  const { socket } = outcome
  try {
    expect(await request(socket, 'engine.status', {})).toMatchObject({ type: 'result', result: { state: expect.any(String) } })
    expect(await request(socket, 'settings.update', { appearance: { theme: 'purple' } })).toMatchObject({
      type: 'error',
      error: { code: 'BAD_REQUEST', hint: 'Nothing was changed.' }
    })
    expect(await request(socket, 'no.such.method', {})).toMatchObject({ type: 'error', error: { code: 'BAD_REQUEST' } })
    expect(await request(socket, 'settings.get', {})).toMatchObject({ type: 'result', result: { settings: { appearance: { theme: 'system' } } } })
  } finally {
    socket.close()
  }
})

test('every HTTP answer carries the security headers', async ({ request: http }) => {
  for (const path of ['/', '/no-such-file']) {
    const response = await http.get(`${serve.origin}${path}`)
    const headers = response.headers()
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(headers['content-security-policy']).toContain("script-src 'self';")
    expect(headers['x-content-type-options']).toBe('nosniff')
    expect(headers['referrer-policy']).toBe('no-referrer')
  }
})
