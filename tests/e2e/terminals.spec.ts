import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, test, type Page } from '@playwright/test'
import { collectPageErrors } from './support/console'
import { callCore } from './support/instance'
import { saveScreens } from './support/screens'
import { ServeProcess, testSettings } from './support/serve'
import { openView, workspaceRow } from './support/views'

// Terminals end to end: `sandlot serve` with the real engine and real shells, driven in Chromium like a user.
// The tests build on each other (one set of terminals), so they run in order.
test.describe.configure({ mode: 'serial' })

const id = Math.random().toString(16).slice(2, 8)
const names = { a: `e2e-ta-${id}`, b: `e2e-tb-${id}` }
const run = promisify(execFile)

let serve: ServeProcess
/** The terminals the tests open, by role: two in workspace a, one in b, one on the host. */
const opened: Record<'a1' | 'a2' | 'b1' | 'host', string> = { a1: '', a2: '', b1: '', host: '' }
/** What each one printed (a command's result, not its echo), to find it again. */
const marks = { a1: 'one-42', a2: 'two-43', b1: 'three-44', host: 'four-45' }
const commands = { a1: 'echo one-$((6*7))', a2: 'echo two-$((6*7+1))', b1: 'echo three-$((6*7+2))', host: 'echo four-$((6*7+3))' }

test.beforeAll(async () => {
  serve = await ServeProcess.start({ settings: testSettings(1) })
  for (const name of [names.a, names.b]) await callCore(serve, 'workspaces.create', { template: 'shell', name })
})

test.afterAll(async () => {
  await serve?.dispose()
})

test.beforeEach(async ({ page, context }) => {
  // The tests read what terminals show from xterm's DOM rows; one test checks the WebGL renderer on its own.
  await page.addInitScript(() => window.localStorage.setItem('sandlot.terminal.webgl', 'off'))
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.origin })
})

const pane = (page: Page, terminal: string) => page.locator(`[data-testid="terminal-pane"][data-terminal="${terminal}"]`)
const screen = (page: Page, terminal: string) => pane(page, terminal).locator('.xterm-rows')
const cell = (page: Page, terminal: string) => page.locator(`[data-testid="grid-cell"][data-terminal="${terminal}"]`)

/** Types a command into a terminal as a user does: click it, type, Enter. */
async function runIn(page: Page, terminal: string, command: string): Promise<void> {
  await pane(page, terminal).locator('.xterm-screen').click()
  await page.keyboard.type(command)
  await page.keyboard.press('Enter')
}

async function openGrid(page: Page): Promise<void> {
  await page.goto(`${serve.info.url}#/terminals`)
  await expect(page.getByTestId('terminals-view')).toHaveAttribute('data-page', 'grid')
}

test('with no terminal open, the grid says so in its middle and offers each one as a button', async ({ page }) => {
  const errors = collectPageErrors(page)
  await openGrid(page)
  const empty = page.getByTestId('grid-empty')
  await expect(empty.getByRole('button', { name: 'Shell on this computer' })).toBeVisible()
  for (const name of [names.a, names.b]) await expect(empty.getByRole('button', { name: `Terminal in ${name}` })).toBeVisible()
  // The New terminal control is a menu button, not a select.
  await page.getByRole('button', { name: 'New terminal…' }).click()
  const menu = page.getByRole('menu', { name: 'New terminal' })
  await expect(menu.getByRole('menuitem')).toHaveText(['On this computer', `In ${names.a}`, `In ${names.b}`])
  await page.keyboard.press('Escape')
  await expect(menu).toHaveCount(0)
  await saveScreens(page, 'terminals-empty', { widths: [800, 1440] })
  expect(errors).toEqual([])
})

test('one click on a workspace row opens a terminal in it that runs commands', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(serve.info.url)
  await openView(page, 'Workspaces')
  const row = workspaceRow(page, names.a)
  await expect(row).toHaveAttribute('data-container', 'running')
  await row.getByRole('button', { name: `Terminal in ${names.a}` }).click()

  await expect(page).toHaveURL(new RegExp(`#/terminals/${names.a}$`))
  const tab = page.getByTestId('terminal-tab')
  await expect(tab).toHaveCount(1)
  await expect(tab).toHaveAttribute('aria-selected', 'true')
  opened.a1 = (await tab.getAttribute('data-terminal')) ?? ''
  // A shell in /app, as the workspace's user.
  await runIn(page, opened.a1, `${commands.a1}; pwd`)
  await expect(screen(page, opened.a1)).toContainText(marks.a1)
  await expect(screen(page, opened.a1)).toContainText('/app')
  expect(errors).toEqual([])
})

test('four terminals (two workspaces and the host) are live in the grid', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(`${serve.info.url}#/terminals/${names.a}`)
  await expect(page.getByTestId('terminal-tab')).toHaveCount(1)
  // A second tab in the same workspace, from the + button.
  await page.getByRole('button', { name: `New terminal in ${names.a}` }).click()
  await expect(page.getByTestId('terminal-tab')).toHaveCount(2)
  opened.a2 = (await page.locator('[data-testid="terminal-tab"][aria-selected="true"]').getAttribute('data-terminal')) ?? ''
  expect(opened.a2).not.toBe(opened.a1)
  await runIn(page, opened.a2, commands.a2)
  await expect(screen(page, opened.a2)).toContainText(marks.a2)
  // Previous and next tab by their shortcuts, typed while the terminal has the keyboard (the shell gets none of it).
  await page.keyboard.press('Control+Shift+BracketLeft')
  await expect(page.locator(`[data-testid="terminal-tab"][data-terminal="${opened.a1}"]`)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Control+Shift+BracketRight')
  await expect(page.locator(`[data-testid="terminal-tab"][data-terminal="${opened.a2}"]`)).toHaveAttribute('aria-selected', 'true')
  // Renamed with a double-click, as a user tells tabs apart.
  await page.locator(`[data-testid="terminal-tab"][data-terminal="${opened.a2}"]`).dblclick()
  await page.getByRole('textbox', { name: 'Terminal name' }).fill('server')
  await page.keyboard.press('Enter')
  await expect(page.locator(`[data-testid="terminal-tab"][data-terminal="${opened.a2}"]`)).toContainText('server')
  // Dragged before the first tab: the core keeps the new order.
  await page.locator(`[data-testid="terminal-tab"][data-terminal="${opened.a2}"]`).dragTo(page.locator(`[data-testid="terminal-tab"][data-terminal="${opened.a1}"]`))
  await expect(page.getByTestId('terminal-tab').first()).toHaveAttribute('data-terminal', opened.a2)
  const order = ((await callCore(serve, 'terminals.list', {})) as Array<{ id: string; position: number }>).sort((x, y) => x.position - y.position).map((t) => t.id)
  expect(order.indexOf(opened.a2)).toBeLessThan(order.indexOf(opened.a1))

  // The other workspace, from its row.
  await openView(page, 'Workspaces')
  await workspaceRow(page, names.b).getByRole('button', { name: `Terminal in ${names.b}` }).click()
  await expect(page).toHaveURL(new RegExp(`#/terminals/${names.b}$`))
  opened.b1 = (await page.getByTestId('terminal-tab').getAttribute('data-terminal')) ?? ''
  await runIn(page, opened.b1, commands.b1)
  await expect(screen(page, opened.b1)).toContainText(marks.b1)

  // The grid, by its shortcut, and a shell on this computer from it.
  await page.keyboard.press('Control+Shift+KeyG')
  await expect(page).toHaveURL(/#\/terminals$/)
  await expect(page.getByTestId('grid-cell')).toHaveCount(3)
  await page.getByRole('button', { name: 'New terminal…' }).click()
  await page.getByRole('menuitem', { name: 'On this computer' }).click()
  await expect(page.getByTestId('grid-cell')).toHaveCount(4)
  opened.host = (await page.locator('[data-testid="grid-cell"][data-group="@host"]').getAttribute('data-terminal')) ?? ''
  await runIn(page, opened.host, commands.host)

  for (const role of ['a1', 'a2', 'b1', 'host'] as const) {
    await expect(cell(page, opened[role]).getByTestId('cell-connection')).toHaveText('Live')
    await expect(screen(page, opened[role])).toContainText(marks[role])
  }
  await expect(cell(page, opened.a1).getByTestId('cell-workspace-state')).toContainText('running')
  await expect(cell(page, opened.b1)).toContainText(names.b)
  // Four cells are two by two, all inside the page without scrolling.
  await expect(page.getByTestId('terminal-grid')).toHaveAttribute('data-columns', '2')
  const grid = page.getByTestId('terminal-grid')
  expect(await grid.evaluate((element) => element.scrollHeight <= element.clientHeight)).toBe(true)
  // A live one answers: typed into the grid's cell, seen in the same cell.
  await runIn(page, opened.b1, 'echo grid-$((7*7))')
  await expect(screen(page, opened.b1)).toContainText('grid-49')
  expect(errors).toEqual([])
})

test('screens of the tabs and the grid, light and dark, narrow and wide', async ({ page }) => {
  // As users see them: drawn with WebGL where the browser has it.
  await page.addInitScript(() => window.localStorage.removeItem('sandlot.terminal.webgl'))
  const settled = async (): Promise<void> => {
    for (const terminal of await page.locator('[data-testid="terminal-pane"]:visible').all()) {
      await expect(terminal.locator('.term-pane__xterm')).toHaveAttribute('data-renderer', /webgl|dom/)
    }
    // The replayed screens are drawn within a frame or two of arriving.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  }
  for (const width of [1600, 640]) {
    await page.setViewportSize({ width, height: width === 640 ? 720 : 1000 })
    await openGrid(page)
    for (const role of ['a1', 'a2', 'b1', 'host'] as const) await expect(cell(page, opened[role]).getByTestId('cell-connection')).toHaveText('Live')
    await settled()
    await saveScreens(page, `terminals-grid-${width}`)
    await page.goto(`${serve.info.url}#/terminals/${names.a}`)
    await expect(page.getByTestId('terminal-tab')).toHaveCount(2)
    await settled()
    // The tab strip scrolls sideways only: no vertical scrollbar (which takes width off it) for the active tab's 1px.
    expect(await page.locator('.terms__tabs').evaluate((strip) => (strip as HTMLElement).offsetWidth - strip.clientWidth)).toBe(0)
    await saveScreens(page, `terminals-tabs-${width}`)
  }
})

test('full screen for one cell, and Esc back to the grid', async ({ page }) => {
  await openGrid(page)
  const before = await cell(page, opened.a1).boundingBox()
  await cell(page, opened.a1).getByRole('button', { name: /^Full screen for/ }).click()
  await expect(cell(page, opened.a1)).toHaveAttribute('data-full', 'true')
  for (const role of ['a2', 'b1', 'host'] as const) await expect(cell(page, opened[role])).toBeHidden()
  const full = await cell(page, opened.a1).boundingBox()
  expect(full!.width).toBeGreaterThan(before!.width * 1.6)
  // The shell hears the new size (fit, then terminals.resize): `stty size` says the new columns.
  await runIn(page, opened.a1, 'stty size')
  await expect
    .poll(async () => ((await callCore(serve, 'terminals.list', {})) as Array<{ id: string; cols: number }>).find((t) => t.id === opened.a1)?.cols ?? 0)
    .toBeGreaterThan(100)
  await pane(page, opened.a1).locator('.xterm-screen').click()
  await page.keyboard.press('Escape')
  await expect(cell(page, opened.a1)).toHaveAttribute('data-full', 'false')
  for (const role of ['a2', 'b1', 'host'] as const) await expect(cell(page, opened[role])).toBeVisible()
})

test('the grid filters by workspace name and by state', async ({ page }) => {
  await openGrid(page)
  await page.getByRole('searchbox', { name: 'Filter by workspace' }).fill(names.b)
  await expect(page.getByTestId('grid-cell')).toHaveCount(1)
  await expect(cell(page, opened.b1)).toBeVisible()
  await page.getByRole('searchbox', { name: 'Filter by workspace' }).fill('')
  await page.getByRole('combobox', { name: 'Filter by state' }).selectOption('exited')
  await expect(page.getByTestId('grid-cell')).toHaveCount(0)
  await expect(page.getByTestId('grid-no-match')).toBeVisible()
  await page.getByRole('combobox', { name: 'Filter by state' }).selectOption('running')
  await expect(page.getByTestId('grid-cell')).toHaveCount(4)
})

test('find inside a terminal highlights its matches', async ({ page }) => {
  await openGrid(page)
  await runIn(page, opened.a2, 'for i in 1 2 3; do echo needle-$i; done')
  await expect(screen(page, opened.a2)).toContainText('needle-3')
  await page.keyboard.press('Control+Shift+KeyF')
  const find = cell(page, opened.a2).getByRole('textbox', { name: 'Find in terminal' })
  await expect(find).toBeFocused()
  await find.fill('needle-')
  // Three printed lines and the command's own echo.
  await expect(cell(page, opened.a2).getByTestId('terminal-find-count')).toHaveText(/^\d of [4-9]$/)
  await expect(pane(page, opened.a2).locator('.xterm-find-result-decoration').first()).toBeAttached()
  await find.press('Escape')
  await expect(find).toHaveCount(0)
})

test('a multi-line paste from the context menu runs line by line; selecting copies', async ({ page }) => {
  await openGrid(page)
  await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((1+2))\necho pasted-$((2+2))\n'))
  await pane(page, opened.b1).locator('.xterm-screen').click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Paste' }).click()
  // bash asked for bracketed paste: the lines wait as one edit until Enter, then both run.
  await page.keyboard.press('Enter')
  await expect(screen(page, opened.b1)).toContainText('pasted-3')
  await expect(screen(page, opened.b1)).toContainText('pasted-4')
  // Selecting copies: Select all from the same menu puts the screen on the clipboard.
  await pane(page, opened.b1).locator('.xterm-screen').click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Select all' }).click()
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('pasted-4')
})

test('a reload shows every terminal as it was', async ({ page }) => {
  await openGrid(page)
  for (const role of ['a1', 'a2', 'b1', 'host'] as const) await expect(screen(page, opened[role])).toContainText(marks[role])
  await page.reload()
  await expect(page.getByTestId('grid-cell')).toHaveCount(4)
  for (const role of ['a1', 'a2', 'b1', 'host'] as const) {
    await expect(screen(page, opened[role])).toContainText(marks[role])
    await expect(cell(page, opened[role]).getByTestId('cell-connection')).toHaveText('Live')
  }
  await expect(screen(page, opened.b1)).toContainText('pasted-4')
  // The renamed tab kept its name.
  await expect(cell(page, opened.a2)).toContainText('server')
})

test('a terminal reconnects after its container restarts', async ({ page }) => {
  await openGrid(page)
  await expect(screen(page, opened.b1)).toContainText(marks.b1)
  await run('docker', ['restart', '--time', '1', `sandlot-${names.b}`])
  await expect(screen(page, opened.b1)).toContainText('reconnected: a new shell', { timeout: 60_000 })
  await expect(cell(page, opened.b1).getByTestId('cell-connection')).toHaveText('Live')
  // The old screen is still above the marker, and the new shell works.
  await expect(screen(page, opened.b1)).toContainText(marks.b1)
  await runIn(page, opened.b1, 'echo after-$((50*2))')
  await expect(screen(page, opened.b1)).toContainText('after-100')
})

test('terminals draw with WebGL where the browser has it', async ({ page }) => {
  await page.addInitScript(() => window.localStorage.removeItem('sandlot.terminal.webgl'))
  await openGrid(page)
  const hasWebgl = await page.evaluate(() => document.createElement('canvas').getContext('webgl2') !== null)
  await expect(pane(page, opened.a1).locator('.term-pane__xterm')).toHaveAttribute('data-renderer', hasWebgl ? 'webgl' : 'dom')
  if (hasWebgl) await expect(pane(page, opened.a1).locator('.xterm-screen canvas').first()).toBeAttached()
  await expect(cell(page, opened.a1).getByTestId('cell-connection')).toHaveText('Live')
})

test('after sandlot serve restarts, the open page attaches again and shows the restored terminals', async ({ page }) => {
  await openGrid(page)
  for (const role of ['a1', 'b1', 'host'] as const) await expect(screen(page, opened[role])).toContainText(marks[role])
  const port = serve.info.port
  await serve.stop()
  await expect(cell(page, opened.a1).getByTestId('cell-connection')).toHaveText('Link lost')
  serve = await ServeProcess.start({ home: serve.home, port })
  // The same page, never reloaded: the bridge reconnects, and each terminal comes back with its old screen
  // above a fresh shell.
  for (const role of ['a1', 'a2', 'b1', 'host'] as const) {
    await expect(cell(page, opened[role]).getByTestId('cell-connection')).toHaveText('Live', { timeout: 60_000 })
    await expect(screen(page, opened[role])).toContainText(marks[role])
  }
  await runIn(page, opened.host, 'echo back-$((3*11))')
  await expect(screen(page, opened.host)).toContainText('back-33')
})

test('the new-terminal shortcut opens another tab, and Help lists the shortcuts', async ({ page }) => {
  await page.goto(`${serve.info.url}#/terminals/${names.b}`)
  await expect(page.getByTestId('terminal-tab')).toHaveCount(1)
  await pane(page, opened.b1).locator('.xterm-screen').click()
  await page.keyboard.press('Control+Shift+Backquote')
  await expect(page.getByTestId('terminal-tab')).toHaveCount(2)
  await expect(page.getByTestId('terminal-tab').nth(1)).toHaveAttribute('aria-selected', 'true')

  // The grid's Shortcuts button opens them over the page, which stays.
  await openGrid(page)
  await page.getByRole('button', { name: 'Shortcuts' }).click()
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(dialog.getByTestId('shortcuts')).toContainText('Ctrl+Shift+G')
  await saveScreens(page, 'terminals-shortcuts', { widths: [800, 1440] })
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(page).toHaveURL(/#\/terminals$/)

  await openView(page, 'Help')
  const shortcuts = page.getByTestId('shortcuts')
  for (const keys of ['Ctrl+Shift+`', 'Ctrl+Shift+]', 'Ctrl+Shift+[', 'Ctrl+Shift+G', 'Ctrl+Shift+F']) await expect(shortcuts).toContainText(keys)
  // Its links are links: a page of the app opens here; a web address in a new tab (the system browser in the app).
  await expect(page.getByTestId('help-external').getByRole('link', { name: 'Install Docker Engine' })).toHaveAttribute('target', '_blank')
  await expect(page.getByTestId('help-external').getByRole('link', { name: 'Install Docker Engine' })).toHaveAttribute('rel', 'noopener noreferrer')
  await saveScreens(page, 'help', { widths: [800, 1440] })
  await page.getByTestId('help-pages').getByRole('link', { name: '#/terminals/@host' }).click()
  await expect(page).toHaveURL(/#\/terminals\/@host$/)
  await expect(page.getByTestId('terminals-view')).toHaveAttribute('data-page', 'tabs')
})

test('a workspace never made: its Terminals page says so, points to Workspaces, and opens nothing', async ({ page }) => {
  const errors = collectPageErrors(page)
  const name = `never-made-${id}`
  await page.goto(`${serve.info.url}#/terminals/${name}`)
  const gone = page.getByTestId('terminals-gone')
  await expect(gone).toContainText(`There is no workspace named ${name}.`)
  await expect(page.getByRole('button', { name: 'Open a terminal' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: `New terminal in ${name}` })).toHaveCount(0)
  await expect(page.getByRole('navigation', { name: 'Terminal groups' }).getByRole('button', { name })).toHaveCount(0)
  await saveScreens(page, 'terminals-unknown', { widths: [1000] })
  await gone.getByRole('button', { name: 'Go to Workspaces' }).click()
  await expect(page).toHaveURL(/#\/workspaces$/)
  expect(errors).toEqual([])
})

test('a refused open shows below the page header, and leaves with the workspace it was for', async ({ page }) => {
  // The core refuses a terminal in a workspace that is gone: the page's open is sent for a name never made, as
  // when a workspace is removed by another process before this page's list hears of it.
  const gone = `never-made-${id}`
  await page.routeWebSocket(/\/ws$/, (socket) => {
    const server = socket.connectToServer()
    socket.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { method?: string; params?: { target?: { workspace?: string } } }
      if (frame.method === 'terminals.open' && frame.params?.target?.workspace !== undefined) frame.params.target.workspace = gone
      server.send(JSON.stringify(frame))
    })
  })
  await page.goto(`${serve.info.url}#/terminals/${names.b}`)
  await expect(page.getByTestId('terminal-tab')).toHaveCount(2)
  await page.getByRole('button', { name: `New terminal in ${names.b}` }).click()
  const failure = page.getByText('Opening a terminal failed')
  await expect(failure).toBeVisible()
  await expect(page.getByTestId('terminals-view')).toContainText(gone)
  const header = await page.locator('.terms__header').boundingBox()
  expect((await failure.boundingBox())!.y).toBeGreaterThanOrEqual(header!.y + header!.height)
  await saveScreens(page, 'terminals-refused', { widths: [1000] })
  await page.getByRole('navigation', { name: 'Terminal groups' }).getByRole('button', { name: 'This computer' }).click()
  await expect(page).toHaveURL(/#\/terminals\/@host$/)
  await expect(page.getByTestId('terminal-tab')).toHaveCount(1)
  await expect(failure).toHaveCount(0)
})

test('a removed workspace keeps its ended tabs readable under a note, and opens nothing', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(`${serve.info.url}#/terminals/${names.a}`)
  await expect(page.getByTestId('terminal-tab')).toHaveCount(2)
  await callCore(serve, 'workspaces.remove', { name: names.a, force: true })
  // No reload: the open page sees the removal live (a description looked up before it, answered after it, is dropped).
  const note = page.getByTestId('terminals-gone')
  await expect(note).toHaveAttribute('data-standing', 'removed')
  await expect(note).toContainText(`${names.a} was removed.`)
  await expect(page.getByTestId('terminal-tab')).toHaveCount(2)
  await expect(page.getByRole('button', { name: `New terminal in ${names.a}` })).toHaveCount(0)
  await page.locator(`[data-testid="terminal-tab"][data-terminal="${opened.a1}"]`).click()
  await expect(screen(page, opened.a1)).toContainText(marks.a1)
  await saveScreens(page, 'terminals-removed', { widths: [1000] })
  expect(errors).toEqual([])
})
