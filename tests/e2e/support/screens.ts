import type { Page } from '@playwright/test'
import { repoPath } from './repo'

/** Saves the page as test-results/screens/<name>-light.png and -dark.png, for people to look at. */
export async function saveScreens(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await page.screenshot({ path: repoPath(`test-results/screens/${name}-${colorScheme}.png`), animations: 'disabled' })
  }
  await page.emulateMedia({ colorScheme: null })
}
