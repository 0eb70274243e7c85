import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { repoPath } from './support/repo'

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

test('the desktop window shows the engine status over IPC, with no Node in the page', async () => {
  // Printed as well: the list reporter shows a skip without its reason.
  if (skipReason !== '') console.log(`skipped: ${skipReason}`)
  test.skip(skipReason !== '', skipReason)
  if ('missing' in binary) return

  const abi = readFileSync(repoPath('node_modules/electron/abi_version'), 'utf8').trim()
  const native = repoPath(`node_modules/.sandlot-native/electron-${abi}/better_sqlite3.node`)
  expect(existsSync(native), `${native} is missing: run \`npm run native:electron\``).toBe(true)

  const home = mkdtempSync(join(tmpdir(), 'sandlot-electron-'))
  const app = await electron.launch({ executablePath: binary.path, args: [repoPath()], env: { ...process.env, SANDLOT_HOME: home } })
  try {
    const page = await app.firstWindow()
    await expect(page.getByTestId('engine-status')).toBeVisible({ timeout: 60_000 })
    expect(await page.evaluate(() => location.href)).toBe('sandlot://app/index.html')
    // Sandboxed and isolated: no Node in the page, and the bridge is only the contract's two functions.
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual([
      'undefined',
      'undefined'
    ])
    expect(await page.evaluate(() => Object.keys(window.sandlot ?? {}).sort())).toEqual(['call', 'subscribe'])
    await expect(page.getByTestId('status-bar')).toContainText('Desktop app')
    await page.screenshot({ path: repoPath('test-results/screens/electron-engine.png') })
  } finally {
    await app.close()
    rmSync(home, { recursive: true, force: true })
  }
})
