// `npm start`: the desktop app from a checkout. Says plainly what is missing instead of a stack trace.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { electronInfo, electronNativeDir, projectRoot } from './electron-runtime.mjs'

const electron = electronInfo()
if (!electron.binary) {
  console.error(
    [
      `Sandlot: Electron's desktop binary (v${electron.version}) is not installed.`,
      'Its download failed or was skipped during `npm ci` (for example with ELECTRON_SKIP_BINARY_DOWNLOAD, or offline).',
      '',
      'What to do:',
      '  - where the download works: `npm run electron:fetch`, then `npm start` again;',
      '  - meanwhile, the same app runs in your browser: `npx sandlot serve --open`.'
    ].join('\n')
  )
  process.exit(1)
}
if (!existsSync(join(electronNativeDir(electron.version), 'better_sqlite3.node'))) {
  const native = spawnSync('npm', ['run', '--silent', 'native:electron'], { cwd: projectRoot, stdio: 'inherit' })
  if (native.status !== 0) process.exit(native.status ?? 1)
}
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)
const app = spawnSync(electron.binary, [projectRoot, ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(app.status ?? 1)
