// `npm run native:electron`: gets better-sqlite3 built for Electron's ABI into node_modules/.sandlot-native,
// leaving node_modules/better-sqlite3 built for Node. The CLI and tests keep working under Node, the app
// loads its own copy (better-sqlite3's `nativeBinding` option), and nobody meets NODE_MODULE_VERSION errors.
// node-pty needs no copy: it is a Node-API module, one binary for both runtimes.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { electronInfo, electronNativeDir, projectRoot } from './electron-runtime.mjs'

const { version } = electronInfo()
const target = electronNativeDir(version)
const output = join(target, 'better_sqlite3.node')
if (existsSync(output) && !process.argv.includes('--force')) {
  console.log(`better-sqlite3 for Electron ${version} is present: ${output}`)
  process.exit(0)
}

// Work on a copy so a half-finished build never replaces the Node build in node_modules.
const work = mkdtempSync(join(tmpdir(), 'sandlot-native-'))
cpSync(join(projectRoot, 'node_modules', 'better-sqlite3'), work, { recursive: true })
rmSync(join(work, 'build'), { recursive: true, force: true })

const attempts = [
  ['prebuilt binary', process.execPath, [require_('prebuild-install/bin.js'), '--runtime', 'electron', '--target', version, '--verbose']],
  ['build from source', process.execPath, [require_('@electron/rebuild/lib/cli.js'), '--version', version, '--module-dir', work, '--force']]
]
for (const [label, command, args] of attempts) {
  console.log(`better-sqlite3 for Electron ${version}: trying the ${label}…`)
  const run = spawnSync(command, args, { cwd: work, stdio: 'inherit' })
  const built = join(work, 'build', 'Release', 'better_sqlite3.node')
  if (run.status === 0 && existsSync(built)) {
    mkdirSync(target, { recursive: true })
    cpSync(built, output)
    rmSync(work, { recursive: true, force: true })
    console.log(`Done: ${output}`)
    process.exit(0)
  }
}
rmSync(work, { recursive: true, force: true })
console.error(
  `Could not get better-sqlite3 for Electron ${version}: both the prebuilt download and the source build failed.\n` +
    'The desktop app needs it; the CLI and browser mode (`npx sandlot serve --open`) do not. Retry where GitHub and\n' +
    'electronjs.org are reachable, or on a machine with a C++ toolchain and Electron headers.'
)
process.exit(1)

function require_(specifier) {
  return join(projectRoot, 'node_modules', specifier)
}
