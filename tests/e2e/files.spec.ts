import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { FILE_CAP } from '../../src-main/core/contract/files'
import { collectPageErrors } from './support/console'
import { callCore } from './support/instance'
import { saveScreens } from './support/screens'
import { ServeProcess, testSettings } from './support/serve'

// The Files tab end to end: `sandlot serve` on the real engine, a template's workspace, seen in Chromium.
const name = `e2e-files-${Math.random().toString(16).slice(2, 8)}`
const run = promisify(execFile)
/** Runs a shell script in the workspace as its app's user, in /app; its output. */
const inApp = async (script: string): Promise<string> => (await run('docker', ['exec', '-u', 'node', '-w', '/app', `sandlot-${name}`, 'sh', '-c', script])).stdout
/** A binary file: every byte value, NUL first. */
const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
const PACKAGES = 260

let serve: ServeProcess

test.beforeAll(async () => {
  serve = await ServeProcess.start({ settings: testSettings(0) })
  await callCore(serve, 'workspaces.create', { template: 'node-api', name })
  // Beside the template's files: a dotfile, a nested folder, a node_modules longer than a page, a binary file.
  await inApp(
    `echo SECRET=1 > .env && mkdir -p src/lib && echo 'export const x = 1' > src/lib/x.js && ` +
      `mkdir -p node_modules && for i in $(seq 1 ${PACKAGES}); do mkdir node_modules/pkg-$i; done`
  )
  await callCore(serve, 'files.write', { name, path: 'data.bin', content: binary.toString('base64'), encoding: 'base64' })
})

test.afterAll(async () => {
  await serve?.dispose()
})

const tree = (page: Page): Locator => page.getByRole('tree')
const item = (page: Page, path: string): Locator => tree(page).locator(`[data-testid="file-tree-row"][data-path="${path}"]`)

/** Drops files on an element as a user dragging them from their file manager does. */
async function dropFiles(target: Locator, files: Array<{ name: string; text: string }>): Promise<void> {
  const transfer = await target.page().evaluateHandle((list) => {
    const data = new DataTransfer()
    for (const file of list) data.items.add(new File([file.text], file.name, { type: 'text/plain' }))
    return data
  }, files)
  await target.dispatchEvent('dragenter', { dataTransfer: transfer })
  await target.dispatchEvent('dragover', { dataTransfer: transfer })
  await target.dispatchEvent('drop', { dataTransfer: transfer })
}

test('the Files tab lists /app, shows a file, uploads by drop and by picker, and downloads the bytes', async ({ page }) => {
  const errors = collectPageErrors(page)
  await page.setViewportSize({ width: 1600, height: 900 })
  await page.goto(`${serve.info.url}#/workspaces/${name}/logs`)
  await page.getByRole('tab', { name: 'Files' }).click()
  await expect(page).toHaveURL(new RegExp(`#/workspaces/${name}/files$`))

  // The template's files, folders first, the dotfile dimmed, node_modules marked; template.json stays on the host.
  for (const file of ['app.js', 'app.test.js', 'package.json', 'server.js', '.env', 'data.bin']) await expect(item(page, `/app/${file}`)).toBeVisible()
  await expect(item(page, '/app/template.json')).toHaveCount(0)
  const names = await tree(page).getByTestId('file-tree-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')))
  expect(names.slice(0, 2)).toEqual(['/app/node_modules', '/app/src'])
  await expect(item(page, '/app/.env')).toHaveClass(/file-tree__row--hidden/)
  await expect(item(page, '/app/node_modules')).toContainText('packages')
  await expect(item(page, '/app/node_modules')).toHaveAttribute('aria-expanded', 'false')
  await expect(item(page, '/app/server.js')).toContainText(`${(await inApp('wc -c < server.js')).trim()} B`)

  // Narrow, with no file shown: the tree takes the height, the hint sits under it (no small box over blank space).
  await page.setViewportSize({ width: 800, height: 900 })
  const box = async (testId: string) => (await page.getByTestId(testId).boundingBox())!
  await expect(page.locator('.files__hint')).toBeVisible()
  const [treeBox, hintBox] = [await box('file-tree'), (await page.locator('.files__hint').boundingBox())!]
  expect(hintBox.y + hintBox.height).toBeGreaterThan(900 - 120)
  expect(treeBox.height).toBeGreaterThan(hintBox.height * 3)
  await saveScreens(page, 'files-idle', { widths: [800, 1440], height: 900 })
  await page.setViewportSize({ width: 1600, height: 900 })

  // Keyboard: into the tree, down to src, open it with Right, into it, and back out with Left.
  await item(page, '/app/node_modules').focus()
  await page.keyboard.press('ArrowDown')
  await expect(item(page, '/app/src')).toBeFocused()
  await page.keyboard.press('ArrowRight')
  await expect(item(page, '/app/src')).toHaveAttribute('aria-expanded', 'true')
  await expect(item(page, '/app/src/lib')).toBeVisible()
  await page.keyboard.press('ArrowRight')
  await expect(item(page, '/app/src/lib')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(item(page, '/app/src/lib/x.js')).toBeVisible()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('file-viewer-text')).toHaveText('export const x = 1\n')
  await page.keyboard.press('ArrowLeft')
  await expect(item(page, '/app/src/lib')).toBeFocused()

  // A long folder: a page of entries and a "more" row.
  await item(page, '/app/node_modules').click()
  await expect(tree(page).getByTestId('file-tree-more')).toHaveText(`Show ${PACKAGES - 200} more of ${PACKAGES - 200}`)
  await tree(page).getByTestId('file-tree-more').click()
  await expect(item(page, `/app/node_modules/pkg-${PACKAGES}`)).toBeVisible()
  // Choosing an open folder keeps it open; its chevron closes it.
  await item(page, '/app/node_modules').click()
  await expect(item(page, '/app/node_modules')).toHaveAttribute('aria-expanded', 'true')
  await item(page, '/app/node_modules').getByTestId('file-tree-twisty').click()
  await expect(item(page, '/app/node_modules')).toHaveAttribute('aria-expanded', 'false')

  // A text file read-only, with its size; a binary file said to be one, and downloaded byte for byte.
  await item(page, '/app/server.js').click()
  const viewer = page.getByTestId('file-viewer')
  await expect(viewer).toHaveAttribute('data-path', '/app/server.js')
  // The file shown and the address stay in step both ways, its folder listed already or not.
  await expect(page).toHaveURL(new RegExp(`#/workspaces/${name}/files/%2Fapp%2Fserver\\.js$`))
  await page.evaluate((hash) => (window.location.hash = hash), `#/workspaces/${name}/files/${encodeURIComponent('/app/package.json')}`)
  await expect(viewer).toHaveAttribute('data-path', '/app/package.json')
  await page.goBack()
  await expect(viewer).toHaveAttribute('data-path', '/app/server.js')
  await expect(page.getByTestId('file-viewer-text')).toContainText('Listening on http://localhost:')
  await expect(page.getByTestId('file-viewer-size')).toContainText('read-only')
  await saveScreens(page, 'files', { widths: [1600, 640], height: 900 })
  await item(page, '/app/data.bin').click()
  await expect(viewer).toHaveAttribute('data-state', 'binary')
  await expect(page.getByTestId('file-viewer-note')).toContainText('not text')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('file-download').click()])
  expect(download.suggestedFilename()).toBe('data.bin')
  expect(await readFile(await download.path())).toEqual(binary)

  // Upload by drop on a folder: in the tree, in the container as the app's user, announced.
  await dropFiles(item(page, '/app/src'), [{ name: 'dropped.txt', text: 'dropped in the window\n' }])
  await expect(item(page, '/app/src/dropped.txt')).toBeVisible()
  await expect(page.getByTestId('files-status')).toHaveText(/Uploaded dropped\.txt \(22 B\) to \/app\/src\./)
  expect(await inApp('cat src/dropped.txt && stat -c %U src/dropped.txt')).toBe('dropped in the window\nnode\n')
  const read = await callCore(serve, 'files.read', { name, path: 'src/dropped.txt' })
  expect(read.content).toBe('dropped in the window\n')

  // The same name again asks first; Cancel changes nothing, Replace writes.
  await dropFiles(item(page, '/app/src/dropped.txt'), [{ name: 'dropped.txt', text: 'second\n' }])
  const dialog = page.getByTestId('confirm-dialog')
  await expect(dialog).toContainText('dropped.txt already exists in /app/src')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  expect(await inApp('cat src/dropped.txt')).toBe('dropped in the window\n')
  await dropFiles(item(page, '/app/src/dropped.txt'), [{ name: 'dropped.txt', text: 'second\n' }])
  await dialog.getByRole('button', { name: 'Replace' }).click()
  await expect.poll(() => inApp('cat src/dropped.txt')).toBe('second\n')
  await item(page, '/app/src/dropped.txt').click()
  await expect(page.getByTestId('file-viewer-text')).toHaveText('second\n')

  // The picker uploads into the folder of what is chosen; a file over the cap is refused, saying what to do.
  await expect(page.getByTestId('files-target')).toHaveText('Upload to /app/src')
  await page.getByTestId('files-picker').setInputFiles([{ name: 'too-big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(FILE_CAP + 1) }])
  await expect(page.getByTestId('files-error')).toContainText('over the 4 MiB the window uploads at once')
  await expect(page.getByTestId('files-error')).toContainText('sandlot exec -i')
  expect(await inApp('ls src')).not.toContain('too-big.bin')
  await saveScreens(page, 'files-too-big', { widths: [1600, 640], height: 900 })
  // At the cap, it goes through (one WebSocket frame carries it).
  await page.getByTestId('files-picker').setInputFiles([{ name: 'at-cap.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(FILE_CAP, 7) }])
  await expect(item(page, '/app/src/at-cap.bin')).toBeVisible()
  expect((await inApp('wc -c < src/at-cap.bin')).trim()).toBe(String(FILE_CAP))

  // A change made elsewhere shows after Refresh.
  await inApp('echo later > src/lib/later.txt && rm src/lib/x.js')
  await page.getByTestId('files-refresh').click()
  await expect(item(page, '/app/src/lib/later.txt')).toBeVisible()
  await expect(item(page, '/app/src/lib/x.js')).toHaveCount(0)
  await saveScreens(page, 'files-uploaded', { widths: [1600, 640], height: 900 })

  // The core's refusal is shown as it says it, and nothing is written: a folder without write permission.
  await inApp('mkdir locked && chmod 555 locked')
  await page.getByTestId('files-refresh').click()
  await dropFiles(item(page, '/app/locked'), [{ name: 'nope.txt', text: 'no\n' }])
  await expect(page.getByTestId('files-error')).toContainText('nope.txt was not uploaded.')
  await expect(page.getByTestId('files-error')).toContainText('permission denied')
  expect(await inApp('ls locked')).toBe('')

  // New folder, where the upload would go; a name already there is refused before anything is sent.
  await item(page, '/app/src').click()
  await expect(page.getByTestId('files-target')).toHaveText('Upload to /app/src')
  await expect(item(page, '/app/src')).toHaveAttribute('aria-expanded', 'true')
  await page.getByTestId('files-mkdir').click()
  const naming = page.getByTestId('name-dialog')
  await expect(naming).toContainText('New folder in /app/src')
  await page.getByTestId('name-dialog-input').fill('lib')
  await expect(naming).toContainText('lib already exists here')
  await expect(page.getByTestId('name-dialog-confirm')).toBeDisabled()
  await page.getByTestId('name-dialog-input').fill('made')
  await saveScreens(page, 'files-new-folder', { widths: [1600, 640], height: 900 })
  await page.keyboard.press('Enter')
  await expect(item(page, '/app/src/made')).toBeVisible()
  // The message takes a line kept for it: the tree does not move under the pointer.
  const treeTop = (await tree(page).boundingBox())!.y
  await expect(page.getByTestId('files-status')).toHaveText('Made /app/src/made.')
  expect((await tree(page).boundingBox())!.y).toBe(treeTop)
  expect(await inApp('test -d src/made && stat -c %U src/made')).toBe('node\n')

  // Rename with F2 on the row, by keyboard alone.
  await item(page, '/app/src/made').click()
  await page.keyboard.press('F2')
  await expect(page.getByTestId('name-dialog-input')).toBeFocused()
  await expect(page.getByTestId('name-dialog-input')).toHaveValue('made')
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.type('renamed')
  await page.keyboard.press('Enter')
  await expect(item(page, '/app/src/renamed')).toBeVisible()
  await expect(item(page, '/app/src/made')).toHaveCount(0)
  await expect(page.getByTestId('files-status')).toHaveText('Renamed made to renamed.')
  expect(await inApp('ls src')).toMatch(/^renamed$/m)
  expect(await inApp('ls src')).not.toMatch(/^made$/m)

  // Delete with the Delete key asks first; Cancel keeps the file, Delete removes it.
  await item(page, '/app/src/dropped.txt').click()
  await page.keyboard.press('Delete')
  const confirm = page.getByTestId('confirm-dialog')
  await expect(confirm).toContainText('/app/src/dropped.txt is removed from the workspace; there is no undo.')
  await confirm.getByRole('button', { name: 'Cancel' }).click()
  expect(await inApp('ls src')).toMatch(/^dropped\.txt$/m)
  await page.keyboard.press('Delete')
  await confirm.getByRole('button', { name: 'Delete' }).click()
  await expect(item(page, '/app/src/dropped.txt')).toHaveCount(0)
  expect(await inApp('ls src')).not.toMatch(/^dropped\.txt$/m)
  // The viewer showed it: it lets go of it.
  await expect(page.getByTestId('file-viewer')).toHaveCount(0)

  // A folder with things in it, by the toolbar's button: the question says all of it goes.
  await inApp('echo inside > src/renamed/inside.txt')
  await item(page, '/app/src/renamed').click()
  await page.getByTestId('files-delete').click()
  await expect(confirm).toContainText('The folder /app/src/renamed and everything in it are removed')
  await confirm.getByRole('button', { name: 'Delete' }).click()
  await expect(item(page, '/app/src/renamed')).toHaveCount(0)
  expect(await inApp('test -e src/renamed && echo there || echo gone')).toBe('gone\n')

  // The core's refusal, as it says it: no new folder in a folder without write permission.
  await item(page, '/app/locked').click()
  await page.getByTestId('files-mkdir').click()
  await page.getByTestId('name-dialog-input').fill('nope')
  await page.getByTestId('name-dialog-confirm').click()
  await expect(page.getByTestId('files-error')).toContainText('nope was not made.')
  await expect(page.getByTestId('files-error')).toContainText('permission denied')
  expect(await inApp('ls locked')).toBe('')

  // A stopped container has no files to show, and the tab says how to get them.
  await callCore(serve, 'workspaces.stop', { name })
  await expect(page.getByTestId('files-stopped')).toContainText('start it to see them')
  expect(errors).toEqual([])
})
