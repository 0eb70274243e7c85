#!/usr/bin/env node
// Bundles sandlot-monitor and monitor-cli, zod included, into one CommonJS file each for the image:
//   node container/build-monitor.mjs [--outdir DIR]     (default: container/dist)
// CommonJS, with a package.json saying so next to them: the repository is "type": "module", the
// image's /opt/sandlot has no package.json, and the files must mean the same thing in both places.
import { build } from 'esbuild'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const { values } = parseArgs({ options: { outdir: { type: 'string' } } })
const outdir = resolve(values.outdir ?? join(here, 'dist'))

mkdirSync(outdir, { recursive: true })
await build({
  entryPoints: { monitor: join(here, 'src/monitor.ts'), 'monitor-cli': join(here, 'src/monitor-cli.ts') },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning'
})
writeFileSync(join(outdir, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n')
for (const name of ['monitor.js', 'monitor-cli.js']) chmodSync(join(outdir, name), 0o755)
process.stderr.write(`built ${outdir}/monitor.js and monitor-cli.js\n`)
