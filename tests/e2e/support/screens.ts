import { expect, type Page } from '@playwright/test'
import { repoPath } from './repo'

/**
 * Saves the page as test-results/screens/<name>-light.png and -dark.png, for people to look at, after checking
 * that nothing scrolls sideways (the page fits the window). With `widths`, once per width, as <name>-<width>-…,
 * at `height`; the window gets its size back afterwards.
 */
export async function saveScreens(page: Page, name: string, options: { widths?: number[]; height?: number } = {}): Promise<void> {
  if (options.widths === undefined) return saveBothThemes(page, name)
  const before = page.viewportSize()
  for (const width of options.widths) {
    await page.setViewportSize({ width, height: options.height ?? 900 })
    await saveBothThemes(page, `${name}-${width}`)
  }
  if (before) await page.setViewportSize(before)
}

async function saveBothThemes(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width
  if (width !== undefined) expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} scrolls sideways`).toBeLessThanOrEqual(width)
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await page.screenshot({ path: repoPath(`test-results/screens/${name}-${colorScheme}.png`), animations: 'disabled' })
  }
  await page.emulateMedia({ colorScheme: null })
}
