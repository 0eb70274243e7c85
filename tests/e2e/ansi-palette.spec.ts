import { expect, test, type Locator, type Page } from '@playwright/test'
import { ANSI_PALETTE } from '../../src-renderer/app/ansi-palette'
import { collectPageErrors } from './support/console'
import { callCore } from './support/instance'
import { saveScreens } from './support/screens'
import { ServeProcess, testSettings } from './support/serve'
import { workspaceRow } from './support/views'

// Program output in colour, in the logs and in a terminal: the same palette in both, in both themes.
const name = `e2e-ansi-${Math.random().toString(16).slice(2, 8)}`
let serve: ServeProcess

/** Prints the 16 colours as text, then on backgrounds: the app logs it at start, a terminal runs it. */
const CHART = String.raw`
const row = (from, label) => Array.from({ length: 8 }, (_, i) => '\x1b[' + (from + i) + 'm ' + label + (from + i) + ' \x1b[0m').join('')
export const chart = ['ANSI ' + row(30, 'fg'), 'ANSI ' + row(90, 'fg'), 'ANSI ' + row(40, 'bg'), 'ANSI ' + row(100, 'bg'), 'ANSI \x1b[1mbold\x1b[0m \x1b[2mdim\x1b[0m \x1b[7minverse\x1b[0m']
if (import.meta.url === 'file://' + process.argv[1]) for (const line of chart) console.log(line)
`
const SERVER = `import { createServer } from 'node:http'
import { handle } from './app.js'
import { chart } from './chart.js'

for (const line of chart) console.log(line)
const port = Number(process.env.PORT ?? 3000)
createServer(handle).listen(port, () => console.log(\`Listening on http://localhost:\${port}\`))
`

test.beforeAll(async () => {
  serve = await ServeProcess.start({ settings: testSettings(0) })
  await callCore(serve, 'workspaces.create', { template: 'node-api', name })
  await callCore(serve, 'files.write', { name, path: 'chart.js', content: CHART })
  // node --watch reruns the server on the save: it prints the chart into the logs.
  await callCore(serve, 'files.write', { name, path: 'server.js', content: SERVER })
})

test.afterAll(async () => {
  await serve?.dispose()
})

const rgb = (hex: string): string => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`
const colourOf = (locator: Locator): Promise<string> => locator.evaluate((element) => getComputedStyle(element).color)

/** In each theme: red (SGR 31) is the palette's red for that theme. */
async function expectPaletteRed(page: Page, red: Locator): Promise<void> {
  for (const side of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: side })
    await expect.poll(() => colourOf(red)).toBe(rgb(ANSI_PALETTE[side].colors.red))
  }
  await page.emulateMedia({ colorScheme: null })
}

test('the logs and a terminal colour program output with the same palette', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.setViewportSize({ width: 1600, height: 900 })
  await page.addInitScript(() => window.localStorage.setItem('sandlot.terminal.webgl', 'off'))
  await page.goto(`${serve.info.url}#/workspaces/${name}/logs`)
  const chartLine = page.getByTestId('log-line').filter({ hasText: 'fg37' }).last()
  await expect(chartLine).toBeVisible({ timeout: 60_000 })
  await expectPaletteRed(page, chartLine.locator('.ansi-fg-1'))
  await saveScreens(page, 'ansi-logs', { widths: [1600] })

  await page.goto(`${serve.info.url}#/workspaces`)
  await workspaceRow(page, name).getByRole('button', { name: `Terminal in ${name}` }).click()
  const pane = page.getByTestId('terminal-pane').first()
  await pane.locator('.xterm-screen').click()
  await page.keyboard.type('clear; node chart.js')
  await page.keyboard.press('Enter')
  await expect(pane.locator('.xterm-rows')).toContainText('bg107')
  await expectPaletteRed(page, pane.locator('.xterm-rows span.xterm-fg-1').first())
  await saveScreens(page, 'ansi-terminal', { widths: [1600] })
  expect(errors).toEqual([])
})
