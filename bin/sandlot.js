#!/usr/bin/env node
// `sandlot` in a checkout (npx sandlot, npm link): runs the CLI bundle that `npm run build` writes.
import { existsSync } from 'node:fs'

const cli = new URL('../out/main/cli.js', import.meta.url)
if (!existsSync(cli)) {
  process.stderr.write('sandlot: the CLI is not built yet. Run `npm run build` in the Sandlot checkout (npm ci runs it for you).\n')
  process.exit(1)
}
await import(cli.href)
