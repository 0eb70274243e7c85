import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** A fresh data folder per test file, as CONVENTIONS.md asks. */
export function tempSandlotHome(): string {
  return mkdtempSync(join(tmpdir(), 'sandlot-it-'))
}

/** Runs the built `sandlot` executable as users do (bin/sandlot.js → out/main/cli.js), with this standard input if given. */
export function runSandlot(args: string[], env: NodeJS.ProcessEnv, input?: string | Buffer): Promise<CliRun> {
  if (!existsSync(join(root, 'out', 'main', 'cli.js'))) {
    throw new Error('out/main/cli.js is missing: run `npm run build` before the integration tests (npm test does).')
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'sandlot.js'), ...args], {
      env: { ...process.env, ...env },
      stdio: 'pipe'
    })
    // No input is an empty standard input, as from /dev/null.
    child.stdin.end(input)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
