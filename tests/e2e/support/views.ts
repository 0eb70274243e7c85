import { expect, type Locator, type Page } from '@playwright/test'

/** Opens a view by its button in the main navigation, as a user does, and waits for its heading. */
export async function openView(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label }).click()
  await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible()
}

/** A workspace's row in the Workspaces view. */
export function workspaceRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="workspace-row"][data-name="${name}"]`)
}
