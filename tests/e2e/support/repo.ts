import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../../', import.meta.url))

/** A path inside the checkout. */
export function repoPath(relative = ''): string {
  return `${root}${relative}`
}
