import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, test, type Page } from '@playwright/test'
import { collectPageErrors } from './support/console'
import { callCore } from './support/instance'
import { saveScreens } from './support/screens'
import { ServeProcess, testSettings } from './support/serve'
import { openView, workspaceRow } from './support/views'

const run = promisify(execFile)

// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const id = Math.random().toString(16).slice(2, 8)
const name = `e2e-hist-${id}`
/** What the dying app prints: unique to this run, so nothing else matches it. */
const boom = `E2eBoom${id}`

let serve: ServeProcess

test.beforeAll(async () => {
  serve = await ServeProcess.start({ settings: testSettings(0) })
  // Made by another client, as the CLI would: the window has to pick it and its history up on its own.
  await call('workspaces.create', { template: 'node-api', name })
})

test.afterAll(async () => {
  await serve?.dispose()
})

const call = (method: string, params: unknown): Promise<any> => callCore(serve, method, params)

/** At each width (checked to fit it), in both themes: test-results/screens/<name>-<width>-light.png and -dark.png. */
const screens = (page: Page, shot: string) => saveScreens(page, shot, { widths: [1600, 640], height: 900 })

const row = (page: Page) => workspaceRow(page, name)

test('a crash reaches the open window live: toast, unread badge, the error with its lines, the timeline; the logs search highlights', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.setViewportSize({ width: 1600, height: 900 })
  await page.goto(serve.info.url)
  await openView(page, 'Workspaces')
  // A marker on the page: if anything below reloaded it, the marker would be gone.
  await page.evaluate(() => ((window as unknown as { e2eNoReload: boolean }).e2eNoReload = true))

  // The list shows the app's own state, from the history.
  await expect(row(page)).toHaveAttribute('data-app', 'ready', { timeout: 60_000 })
  await expect(row(page).getByTestId('workspace-state')).toHaveText(/^Ready\s*running$/)
  await screens(page, 'history-list')

  // Its page: the app's state, the preview and the live logs.
  await row(page).getByTestId('workspace-open').click()
  await expect(page).toHaveURL(new RegExp(`#/workspaces/${name}/logs$`))
  await expect(page.getByRole('heading', { level: 1, name })).toBeFocused()
  await expect(page.getByTestId('workspace-page-state')).toHaveAttribute('data-app', 'ready')
  await expect(page.getByTestId('workspace-page-preview')).toHaveAttribute('href', /^http:\/\/127\.0\.0\.1:\d+$/)
  const lines = page.getByTestId('log-lines')
  await expect(lines.getByTestId('log-line').filter({ hasText: 'Listening on http://' }).first()).toBeVisible()
  await screens(page, 'history-logs')

  // Search: only matching lines, the match highlighted.
  await page.getByTestId('log-search').fill('listening')
  await expect(page.getByTestId('log-status')).toContainText('matching “listening”')
  const mark = lines.locator('mark').first()
  await expect(mark).toHaveText(/^listening$/i)
  await expect(lines.getByTestId('log-line').filter({ hasNotText: /listening/i })).toHaveCount(0)
  await screens(page, 'history-search')
  await page.getByTestId('log-search').fill('')

  // Scrolled up, the list pauses: the status counts the lines that came since and offers the way back.
  const container = `sandlot-${name}`
  const inApp = (script: string) => run('docker', ['exec', '-u', 'node', '-w', '/app', container, 'sh', '-c', script])
  // The app prints more: a change to app.js, which node --watch reruns (server.js keeps its lines for below).
  const print = (prefix: string, n: number) => inApp(`echo 'for (let i = 1; i <= ${n}; i++) console.log("${prefix} " + i)' >> app.js`)
  await inApp('cp app.js /tmp/app.js.orig')
  await print(`filler-${id}`, 80)
  await expect(lines.getByTestId('log-line').filter({ hasText: `filler-${id} 80` })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('log-status')).toHaveText(/ · live$/)
  await lines.hover()
  await page.mouse.wheel(0, -3000)
  await expect(page.getByTestId('log-status')).toHaveAttribute('data-paused', 'true')
  await print(`while-paused-${id}`, 3)
  await expect(page.getByTestId('log-status')).toContainText(/paused — \d+ new lines/, { timeout: 30_000 })
  await saveScreens(page, 'history-logs-paused', { widths: [1440, 800], height: 900 })
  await page.getByTestId('log-go-live').click()
  await expect(page.getByTestId('log-status')).toHaveText(/ · live$/)
  await expect(lines.getByTestId('log-line').filter({ hasText: `while-paused-${id} 3` })).toBeInViewport()
  // The app as it was: its restarts below print a few lines, not a screenful.
  await inApp('cp /tmp/app.js.orig app.js')
  await expect(lines.getByTestId('log-line').last()).toContainText('Listening on', { timeout: 30_000 })

  // An uncaught error, as a bad save causes: node --watch reruns server.js, which throws and prints its stack.
  await inApp(`cp server.js /tmp/server.js.good && echo 'setTimeout(() => { throw new Error("${boom} the app gave up") }, 50)' >> server.js`)
  await expect
    .poll(async () => ((await call('history.errors', { workspace: name })) as { message: string }[]).some((e) => e.message.includes(boom)), { timeout: 60_000 })
    .toBe(true)
  // Then the app's process dies: its process group leader (npm), not the monitor, killed from inside.
  const status = await call('workspaces.process', { name, action: 'status' })
  const pid = status.pid as number
  expect(pid).toBeGreaterThan(1)
  await inApp(`cp /tmp/server.js.good server.js && kill -KILL ${pid}`)

  // The toast, wherever the user is, naming the workspace and the error.
  const toast = page.locator(`[data-testid="crash-toast"][data-workspace="${name}"]`)
  await expect(toast).toBeVisible({ timeout: 60_000 })
  await expect(toast).toContainText(`${name} crashed`)
  // The cause stays on hover once the app is back (the line then says so).
  await expect(toast.getByTestId('crash-toast-line')).toHaveAttribute('title', new RegExp(boom), { timeout: 30_000 })

  // Once the app is ready again the toast says it recovered, then closes itself; the badge keeps the trace.
  await expect(toast).toHaveAttribute('data-state', 'recovered', { timeout: 90_000 })
  await expect(toast).toContainText(`${name} recovered`)
  await expect(toast.getByTestId('crash-toast-line')).toContainText(/Ready again at \d/)
  await saveScreens(page, 'history-toast-recovered', { widths: [1440, 800], height: 900 })
  await expect(toast).toHaveCount(0, { timeout: 20_000 })

  // The list: an unread badge on the workspace, until its errors are looked at.
  await openView(page, 'Workspaces')
  await expect(row(page).getByTestId('workspace-unread')).toBeVisible()
  await screens(page, 'history-list-unread')

  // Its Errors tab: the error grouped, with its stack and the lines around it; the badge goes.
  await row(page).getByTestId('workspace-open').click()
  await page.getByRole('tab', { name: /Errors/ }).click()
  const item = page.getByTestId('error-item').filter({ hasText: boom })
  await item.locator('.error-item__toggle').click()
  await expect(item).toHaveAttribute('data-open', 'true')
  // The line appended to server.js (its 9th) threw: the stack and the location name it.
  await expect(item.getByTestId('error-stack')).toContainText(`Error: ${boom} the app gave up`)
  await expect(item.getByTestId('error-stack')).toContainText(/at .*\/app\/server\.js:9:\d+/)
  await expect(item).toContainText(/server\.js:9:\d+/)
  // The lines around it: anchored on the error's own line, each with its time, all of the run that crashed.
  const context = item.getByTestId('error-context')
  await expect(context.locator('[aria-current="true"]')).toContainText(`Error: ${boom} the app gave up`)
  const contextLines = context.getByTestId('error-context-line')
  expect(await contextLines.count()).toBeGreaterThan(3)
  await expect(contextLines.locator('time')).toHaveCount(await contextLines.count())
  const group = ((await call('history.errors', { workspace: name })) as { message: string; fingerprint: string }[]).find((e) => e.message.includes(boom))!
  const around = (await call('history.errorContext', { workspace: name, fingerprint: group.fingerprint, around: 50 })) as { lines: { id: number; run: number; line: string }[]; at: number }
  expect(new Set(around.lines.map((l) => l.run)).size).toBe(1)
  expect(around.lines.find((l) => l.id === around.at)?.line).toContain(`Error: ${boom}`)
  await expect(page.getByTestId('tab-unread')).toHaveCount(0)
  await screens(page, 'history-errors')
  await saveScreens(page, 'history-errors-context', { widths: [1440, 800], height: 900 })

  // Its location links to the file in the Files tab.
  await item.getByTestId('error-source-link').click()
  await expect(page).toHaveURL(new RegExp(`#/workspaces/${name}/files/%2Fapp%2Fserver\\.js$`))
  await expect(page.getByTestId('file-viewer')).toHaveAttribute('data-path', '/app/server.js')
  await page.getByRole('tab', { name: /Errors/ }).click()

  // The timeline: the crash with its signal, the restart with its delay, ready again.
  await page.getByRole('tab', { name: 'Timeline' }).click()
  const timeline = page.getByTestId('timeline')
  await expect(timeline.locator('[data-kind="crash"]').first()).toContainText('SIGKILL')
  await expect(timeline.locator('[data-kind="restart"]').first()).toContainText(/after \d/)
  await expect(page.getByTestId('workspace-page-state')).toHaveAttribute('data-app', 'ready', { timeout: 90_000 })
  await expect(timeline.locator('[data-kind="ready"]')).toHaveCount(2)
  await screens(page, 'history-timeline')

  // Leaving the list and coming back: the badge is gone there too.
  await openView(page, 'Workspaces')
  await expect(row(page).getByTestId('workspace-unread')).toHaveCount(0)

  // The sidebar's Errors and Logs: every workspace, filtered by one.
  await openView(page, 'Errors')
  await expect(page.getByTestId('error-item').filter({ hasText: boom })).toHaveAttribute('data-workspace', name)
  await screens(page, 'history-errors-all')
  await openView(page, 'Logs')
  await page.getByTestId('history-workspace').selectOption(name)
  await expect(page).toHaveURL(new RegExp(`#/logs/${name}$`))
  const allLines = page.getByTestId('log-lines').getByTestId('log-line')
  await expect(allLines.filter({ hasText: boom }).first()).toBeVisible()
  await screens(page, 'history-logs-all')
  // The stream filter asks the core for stderr only; the level filter keeps the error lines.
  await page.getByTestId('log-stream').selectOption('stderr')
  await expect(allLines.filter({ hasText: 'Listening on' })).toHaveCount(0)
  await expect(allLines.filter({ hasText: boom }).first()).toBeVisible()
  await expect(page.locator('[data-testid="log-line"]:not([data-stream="stderr"])')).toHaveCount(0)
  await page.getByTestId('log-stream').selectOption('')
  await page.getByTestId('log-level').selectOption('error')
  await expect(allLines.filter({ hasText: `Error: ${boom}` }).first()).toBeVisible()
  await expect(page.locator('[data-testid="log-line"]:not([data-level="error"])')).toHaveCount(0)

  expect(await page.evaluate(() => (window as unknown as { e2eNoReload?: boolean }).e2eNoReload)).toBe(true)
  expect(errors).toEqual([])
})
