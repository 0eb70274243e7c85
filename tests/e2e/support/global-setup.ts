import { existsSync } from 'node:fs'
import { repoPath } from './repo'

/** The e2e tests drive the built app; without a build they fail at once, saying how to make one. */
export default function setup(): void {
  const missing = ['out/main/cli.js', 'out/renderer/index.html'].filter((file) => !existsSync(repoPath(file)))
  if (missing.length > 0) {
    throw new Error(`The app is not built (missing ${missing.join(', ')}). Run \`npx electron-vite build\` first.`)
  }
}
