import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from '@playwright/test'
import { startOrchestrator, type OrchestratorProcess } from '../support/orchestrator-process'
import { runSandlot } from '../support/run-cli'
import { collectPageErrors } from './support/console'
import { callCore } from './support/instance'
import { saveScreens } from './support/screens'
import { ServeProcess, testSettings } from './support/serve'

// The fleet page fed by real desktops: two `sandlot serve` cores, each with its own data folder, host token and
// sync settings, each with a workspace whose app dies of the same error. The page names both hosts and shows the
// error once, grouped, with both hosts on its row. (Real processes rather than cores in this process: the core's
// store embeds its migrations with import.meta.glob, which Playwright's loader cannot run.)
const id = Math.random().toString(16).slice(2, 8)
/** The app's last words: unique to this run, the same on both desktops (so the same fingerprint). */
const boom = `E2eFleetBoom${id}`
const HOSTS = ['alice', 'bob'] as const

let orchestratorHome: string
let orchestrator: OrchestratorProcess
let reader: string
const desktops: ServeProcess[] = []
const run = promisify(execFile)

test.beforeAll(async () => {
  test.setTimeout(300_000)
  orchestratorHome = mkdtempSync(join(tmpdir(), 'sandlot-fleet-desktops-'))
  const env = { SANDLOT_HOME: orchestratorHome }
  const token = async (name: string, role: string): Promise<string> => {
    const added = await runSandlot(['--json', 'orchestrator', 'token', 'add', name, '--role', role], env)
    expect(added.code, added.stderr).toBe(0)
    return (JSON.parse(added.stdout) as { token: string }).token
  }
  const hostTokens = [await token(HOSTS[0], 'host'), await token(HOSTS[1], 'host')]
  reader = await token('ops', 'reader')
  orchestrator = await startOrchestrator([], env)
  for (const hostToken of hostTokens) {
    desktops.push(await ServeProcess.start({ settings: { ...testSettings(0), sync: { url: orchestrator.url, token: hostToken } } }))
  }
  // Both workspaces at once (container names are engine-wide, hence the suffix), then the same crash in each.
  await Promise.all(
    desktops.map(async (desktop, i) => {
      const name = `e2e-fleet-${HOSTS[i]}-${id}`
      await callCore(desktop, 'workspaces.create', { template: 'node-api', name })
      // As a bad save does: node --watch reruns server.js, which throws.
      await run('docker', ['exec', '-u', 'node', '-w', '/app', `sandlot-${name}`, 'sh', '-c', `echo 'setTimeout(() => { throw new Error("${boom} the app gave up") }, 50)' >> server.js`])
    })
  )
})

test.afterAll(async () => {
  await Promise.all(desktops.map((d) => d.dispose()))
  await orchestrator?.stop()
  if (orchestratorHome) rmSync(orchestratorHome, { recursive: true, force: true })
})

interface ErrorGroup {
  message: string
  hosts: string[]
}

test('two desktops syncing: the fleet page lists both hosts and their shared error once, naming both', async ({ page }) => {
  // Both desktops' outboxes have sent the crash (read through the orchestrator's own query route).
  await expect
    .poll(
      async () => {
        const response = await fetch(`${orchestrator.url}/api/fleet/errors`, { headers: { authorization: `Bearer ${reader}` } })
        const { errors } = (await response.json()) as { errors: ErrorGroup[] }
        return errors.filter((e) => e.message.includes(boom)).map((e) => e.hosts.join(', '))
      },
      { timeout: 120_000, message: 'the error from both desktops at the orchestrator' }
    )
    .toEqual(['alice, bob'])

  const errors = collectPageErrors(page)
  await page.setViewportSize({ width: 1600, height: 900 })
  await page.goto(`${orchestrator.url}/#token=${reader}`)
  const hosts = page.locator('#hosts tbody tr')
  await expect(hosts).toHaveCount(2)
  await expect(hosts.nth(0)).toContainText('alice')
  await expect(hosts.nth(1)).toContainText('bob')
  await expect(page.locator('#workspaces tbody tr').filter({ hasText: id })).toHaveText([new RegExp(`alice\\s*e2e-fleet-alice-${id}`), new RegExp(`bob\\s*e2e-fleet-bob-${id}`)])
  const errorRows = page.locator('#errors tbody tr').filter({ hasText: boom })
  await expect(errorRows).toHaveCount(1)
  await expect(errorRows.first().locator('td').nth(0)).toContainText(`${boom} the app gave up`)
  // At least one crash each (the monitor may restart the app and it dies again).
  expect(Number(await errorRows.first().locator('td').nth(1).textContent())).toBeGreaterThanOrEqual(2)
  await expect(errorRows.first().locator('td').nth(2)).toHaveText('alice, bob')
  await saveScreens(page, 'fleet-desktops', { widths: [1600, 640], height: 900 })
  expect(errors).toEqual([])
})
