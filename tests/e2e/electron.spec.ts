import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { SHELL_RECORDER, SHELL_TEST_HOOKS_ENV, type ShellRecord, type ShellRecorder } from '../../src-main/electron/shell-test-hooks'
import { removeInstanceObjects } from './support/instance'
import { repoPath } from './support/repo'
import { testSettings } from './support/serve'
import { openView, workspaceRow } from './support/views'

const run = promisify(execFile)

/** The Electron binary, or why there is none (`electron` resolves to its path, and throws without a download). */
function electronBinary(): { path: string } | { missing: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string
    return existsSync(path) ? { path } : { missing: `${path} does not exist` }
  } catch (err) {
    return { missing: (err as Error).message.split('\n')[0] ?? String(err) }
  }
}

const binary = electronBinary()
const skipReason = 'missing' in binary ? `Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD / no network): ${binary.missing}` : ''

/** Skips (saying why) where there is no Electron binary; else checks that the app's own SQLite build is there. */
function needElectron(): string {
  // Printed as well: the list reporter shows a skip without its reason.
  if (skipReason !== '') console.log(`skipped: ${skipReason}`)
  test.skip(skipReason !== '', skipReason)
  if ('missing' in binary) throw new Error(skipReason)
  const abi = readFileSync(repoPath('node_modules/electron/abi_version'), 'utf8').trim()
  const native = repoPath(`node_modules/.sandlot-native/electron-${abi}/better_sqlite3.node`)
  expect(existsSync(native), `${native} is missing: run \`npm run native:electron\``).toBe(true)
  return binary.path
}

test('the desktop window shows the engine status over IPC, with no Node in the page', async () => {
  const executablePath = needElectron()

  const home = mkdtempSync(join(tmpdir(), 'sandlot-electron-'))
  const app = await electron.launch({ executablePath, args: [repoPath()], env: { ...process.env, SANDLOT_HOME: home } })
  try {
    const page = await app.firstWindow()
    await expect(page.getByTestId('engine-status')).toBeVisible({ timeout: 60_000 })
    expect(await page.evaluate(() => location.href)).toBe('sandlot://app/index.html')
    // Sandboxed and isolated: no Node in the page, and the bridge is only the contract's calls, events and streams,
    // the folder picker and a dropped file's path.
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual([
      'undefined',
      'undefined'
    ])
    expect(await page.evaluate(() => Object.keys(window.sandlot ?? {}).sort())).toEqual(['call', 'chooseFolder', 'onStream', 'pathForFile', 'sendStream', 'subscribe'])
    await expect(page.getByTestId('status-bar')).toContainText('Desktop app')
    await page.screenshot({ path: repoPath('test-results/screens/electron-engine.png') })
  } finally {
    await app.close()
    rmSync(home, { recursive: true, force: true })
  }
})

/** What the shell's recording notifier and tray saw (SANDLOT_TEST_SHELL_HOOKS=1: src-main/electron/shell-test-hooks.ts). */
const shellRecord = (app: ElectronApplication): Promise<ShellRecord> =>
  app.evaluate((_electron, key) => ((globalThis as Record<string, unknown>)[key] as ShellRecorder).snapshot(), SHELL_RECORDER)

test('the window lists the workspaces, the tray menu lists the workspace, and a crash raises a notification whose click shows its errors', async () => {
  const executablePath = needElectron()
  const id = Math.random().toString(16).slice(2, 8)
  const name = `e2e-app-${id}`
  const boom = `E2eAppBoom${id}`
  const home = mkdtempSync(join(tmpdir(), 'sandlot-electron-'))
  writeFileSync(join(home, 'settings.json'), JSON.stringify(testSettings(0)))
  const sandlot = (...args: string[]) => run(process.execPath, [repoPath('bin/sandlot.js'), ...args], { env: { ...process.env, SANDLOT_HOME: home } })
  let app: ElectronApplication | undefined
  try {
    // Made by the CLI, as a user might before opening the app: the window and the tray pick it up on their own.
    await sandlot('create', '--template', 'node-api', '--name', name)
    app = await electron.launch({ executablePath, args: [repoPath()], env: { ...process.env, SANDLOT_HOME: home, [SHELL_TEST_HOOKS_ENV]: '1' } })
    const page = await app.firstWindow()
    await openView(page, 'Workspaces')
    await expect(workspaceRow(page, name)).toHaveAttribute('data-app', 'ready', { timeout: 60_000 })
    await expect.poll(async () => (await shellRecord(app!)).tray.menu, { timeout: 30_000 }).toContain(`● ${name} — running`)
    await page.screenshot({ path: repoPath('test-results/screens/electron-workspaces.png') })

    // The app dies after printing an error (as in history.spec.ts): its process group leader, killed from inside.
    const inApp = (script: string) => run('docker', ['exec', '-u', 'node', '-w', '/app', `sandlot-${name}`, 'sh', '-c', script])
    await inApp(`echo 'console.error("${boom}")' >> server.js`)
    const status = JSON.parse((await sandlot('process', name, 'status', '--json')).stdout) as { pid: number }
    await inApp(`kill -KILL ${status.pid}`)
    await expect
      .poll(async () => (await shellRecord(app!)).notifications.map((n) => [n.title, n.shown]), { timeout: 60_000 })
      .toContainEqual([`${name}: the app crashed`, true])
    await expect.poll(async () => (await shellRecord(app!)).tray.menu, { timeout: 30_000 }).toContainEqual(expect.stringMatching(new RegExp(`^! ${name} — `)))

    // Its click shows the window on that workspace's errors.
    const index = (await shellRecord(app)).notifications.findIndex((n) => n.title === `${name}: the app crashed`)
    expect(await app.evaluate((_electron, [key, i]) => ((globalThis as Record<string, unknown>)[key as string] as ShellRecorder).clickNotification(i as number), [SHELL_RECORDER, index] as const)).toBe(true)
    await expect(page).toHaveURL(new RegExp(`#/workspaces/${name}/errors`))
  } finally {
    await app?.close()
    await removeInstanceObjects(home)
    rmSync(home, { recursive: true, force: true })
  }
})
