import { expect, test, type Page } from '@playwright/test'
import { collectPageErrors } from './support/console'
import { callCore } from './support/instance'
import { ServeProcess } from './support/serve'

// The window's terminals keep as many lines above the screen as the `terminal.scrollback` setting says, and an
// open terminal follows a change at once. A host shell: no container needed.

let serve: ServeProcess

test.beforeAll(async () => {
  serve = await ServeProcess.start()
})

test.afterAll(async () => {
  await serve?.dispose()
})

const rows = (page: Page) => page.locator('[data-testid="terminal-pane"] .xterm-rows > div')

test('an open terminal trims its scrollback to a lowered terminal.scrollback setting', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.addInitScript(() => window.localStorage.setItem('sandlot.terminal.webgl', 'off'))
  const { id } = (await callCore(serve, 'terminals.open', { target: { kind: 'host' }, name: 'scrollback' })) as { id: string }
  await page.goto(`${serve.info.url}#/terminals/@host`)
  const pane = page.locator(`[data-testid="terminal-pane"][data-terminal="${id}"]`)
  await expect(pane.locator('.xterm-rows')).toBeVisible()

  // Opened with the default (5,000): the setting changes under the open terminal, from another client.
  await callCore(serve, 'settings.update', { terminal: { scrollback: 20 } })

  await expect(async () => {
    await pane.locator('.xterm-screen').click()
    await page.keyboard.type("clear; seq -f 'sb-%g' 1 300")
    await page.keyboard.press('Enter')
    await expect(pane.locator('.xterm-rows')).toContainText('sb-300')
    // Scrolled to the very top: about 20 lines above the last screen, and nothing older (the command line
    // and the early lines are gone). The screen ends with sb-300 and the prompt.
    const onScreen = await rows(page).count()
    await pane.locator('.xterm-screen').hover()
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -5_000)
    const top = (await rows(page).first().innerText()).trim()
    const shown = Number(/^sb-(\d+)$/.exec(top)?.[1])
    const firstOnScreen = 300 - onScreen + 2
    expect(shown, `top row "${top}" with ${onScreen} rows on screen`).toBeGreaterThanOrEqual(firstOnScreen - 22)
    expect(shown, `top row "${top}" with ${onScreen} rows on screen`).toBeLessThanOrEqual(firstOnScreen - 18)
  }).toPass({ timeout: 30_000 })
  expect(errors).toEqual([])
})
