// postinstall: fetch Electron's desktop binary, but never fail the install when it cannot be downloaded.
// Electron's own install script is denied in package.json "allowScripts" because it exits 1 offline, which
// makes `npm ci` roll back everything. Here the same download runs, and a failure leaves a clear notice:
// the CLI, `sandlot serve` (browser mode) and the tests work without the binary.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
let electronDir
try {
  electronDir = dirname(require.resolve('electron/package.json'))
} catch {
  process.exit(0) // a production install without devDependencies: nothing to fetch
}

const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' })
if (result.status === 0) process.exit(0)

const reason = (result.stderr || '').split('\n').find((line) => /Error|ENOTFOUND|ECONN|EAI_AGAIN|certificate|status/i.test(line)) ?? 'unknown error'
process.stderr.write(
  [
    '',
    'sandlot: Electron\'s desktop binary could not be downloaded, so the desktop window is not available yet.',
    `  reason: ${reason.trim()}`,
    '  Everything else is installed: the `sandlot` CLI, browser mode (`npx sandlot serve --open`) and the tests.',
    '  To get the desktop app later, run `npm run electron:fetch` where the download works',
    '  (ELECTRON_MIRROR and electron_config_cache are honoured for mirrors and offline caches).',
    ''
  ].join('\n')
)
process.exit(0)
