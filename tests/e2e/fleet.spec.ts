import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { batchOf, CONTAINER_B, errorRecord, logRecord } from '../../src-main/orchestrator/testing/sync-fixtures'
import { startOrchestrator, type OrchestratorProcess } from '../support/orchestrator-process'
import { runSandlot } from '../support/run-cli'
import { collectPageErrors } from './support/console'
import { saveScreens } from './support/screens'

// The orchestrator's read-only fleet page: two hosts sent their history; an error both saw is one row naming both.
let home: string
let orchestrator: OrchestratorProcess
let reader: string

test.beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'sandlot-fleet-e2e-'))
  const env = { SANDLOT_HOME: home }
  const token = async (name: string, role: string): Promise<string> => {
    const run = await runSandlot(['--json', 'orchestrator', 'token', 'add', name, '--role', role], env)
    expect(run.code, run.stderr).toBe(0)
    return (JSON.parse(run.stdout) as { token: string }).token
  }
  const hosts = { alice: await token('alice', 'host'), bob: await token('bob', 'host') }
  reader = await token('ops', 'reader')
  orchestrator = await startOrchestrator([], env)
  const ws = (name: string, state: string) => ({ name, template: 'react-vite-ts', state, container: null, createdAt: '2026-12-01T10:00:00.000Z' })
  const send = async (hostToken: string, body: object) => {
    const response = await fetch(`${orchestrator.url}/api/sync/batches`, { method: 'POST', headers: { authorization: `Bearer ${hostToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(response.status).toBe(200)
  }
  await send(hosts.alice, batchOf([logRecord(0), errorRecord(1, 'fp-shared', { message: 'TypeError: <b>order</b> is undefined' })], { workspaces: [ws('web', 'running')] }))
  await send(hosts.bob, batchOf([errorRecord(4, 'fp-shared', { workspace: 'shop', container: CONTAINER_B, message: 'TypeError: <b>order</b> is undefined' })], { workspaces: [ws('shop', 'crashed')] }))
})

test.afterAll(async () => {
  await orchestrator?.stop()
  rmSync(home, { recursive: true, force: true })
})

test('the fleet page lists both hosts, their workspaces, and the shared error once', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.goto(`${orchestrator.url}/#token=${reader}`)
  // The token leaves the address bar at once.
  await expect(page).toHaveURL(`${orchestrator.url}/`)
  const hosts = page.locator('#hosts tbody tr')
  await expect(hosts).toHaveCount(2)
  await expect(hosts.nth(0)).toContainText('alice')
  await expect(hosts.nth(1)).toContainText('bob')
  // The fixtures' records are days old: the last record's age, and the delay of the batch that brought them (2 records for alice).
  await expect(page.locator('#hosts thead th')).toHaveText(['Host', 'Last contact', 'Last record', 'Sync delay', 'Workspaces', 'Agent'])
  await expect(hosts.nth(0).locator('td').nth(2)).toHaveText(/^\d+ days ago$/)
  await expect(hosts.nth(0).locator('td').nth(3)).toHaveText(/^p50 \d+ days, max \d+ days \((just now|[\d.]+ s ago)\)$/)
  await expect(page.locator('#workspaces tbody tr')).toHaveText([/alice\s*web.*running/, /bob\s*shop.*crashed/])
  const errorRows = page.locator('#errors tbody tr')
  await expect(errorRows).toHaveCount(1)
  // Markup in an app's message is shown as text, never run.
  await expect(errorRows.first().locator('td').nth(0)).toHaveText('TypeError: <b>order</b> is undefined')
  await expect(errorRows.first().locator('td').nth(1)).toHaveText('2')
  await expect(errorRows.first().locator('td').nth(2)).toHaveText('alice, bob')
  await saveScreens(page, 'fleet')
  expect(errors).toEqual([])
})

test('without a token the page says how to get one, and shows no data', async ({ page }) => {
  await page.goto(`${orchestrator.url}/`)
  await expect(page.locator('#signin')).toBeVisible()
  await expect(page.locator('#signin')).toContainText('sandlot orchestrator token add NAME --role reader')
  await expect(page.locator('#fleet')).toBeHidden()
})
