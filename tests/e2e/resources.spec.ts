import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, test } from '@playwright/test'
import { collectPageErrors } from './support/console'
import { callCore } from './support/instance'
import { saveScreens } from './support/screens'
import { ServeProcess, testSettings } from './support/serve'
import { workspaceRow } from './support/views'

// Resource usage end to end: `sandlot serve` on the real engine, a workspace kept busy, seen in Chromium.
test.describe.configure({ mode: 'serial' })

const name = `e2e-res-${Math.random().toString(16).slice(2, 8)}`
const run = promisify(execFile)
let serve: ServeProcess

test.beforeAll(async () => {
  serve = await ServeProcess.start({ settings: testSettings(0) })
  await callCore(serve, 'workspaces.create', { template: 'shell', name })
  // One core kept busy inside the workspace, as a runaway dev server would.
  await run('docker', ['exec', '-d', `sandlot-${name}`, 'sh', '-c', 'yes > /dev/null'])
})

test.afterAll(async () => {
  await serve?.dispose()
})

test('the workspace list and page show CPU and memory; the Engine view shows disk use', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(`${serve.info.url}#/workspaces`)
  const usage = workspaceRow(page, name).getByTestId('workspace-usage')
  await expect(usage).toHaveText(/^CPU \d+% · [\d.]+ (kB|MB|GB)$/, { timeout: 60_000 })
  // Busy: well above idle (a shared machine gives `yes` most of one core, not always all of it).
  await expect.poll(async () => Number(/CPU (\d+)%/.exec((await usage.textContent()) ?? '')?.[1]), { timeout: 30_000 }).toBeGreaterThan(40)
  await expect(usage).toHaveAttribute('title', /of one core, memory/)
  await saveScreens(page, 'workspaces-usage')

  await page.goto(`${serve.info.url}#/workspaces/${name}/logs`)
  await expect(page.getByTestId('workspace-page-usage')).toHaveText(/^CPU \d+% · /, { timeout: 30_000 })

  await page.goto(`${serve.info.url}#/engine`)
  const disk = page.getByTestId('engine-disk')
  await expect(disk).toContainText('Core images', { timeout: 30_000 })
  await expect(disk).toContainText(/Containers\s*[\d.]+ (B|kB|MB|GB) \(\d+\)/)
  await saveScreens(page, 'engine-disk')
  expect(errors).toEqual([])
})
