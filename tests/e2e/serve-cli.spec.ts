import { spawn, spawnSync } from 'node:child_process'
import { expect, test } from '@playwright/test'
import { repoPath } from './support/repo'
import { ServeProcess } from './support/serve'

let serve: ServeProcess

test.beforeAll(async () => {
  serve = await ServeProcess.start()
})

test.afterAll(async () => {
  await serve?.dispose()
})

function sandlot(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [repoPath('bin/sandlot.js'), ...args], {
    env: { ...process.env, SANDLOT_HOME: serve.home },
    encoding: 'utf8',
    timeout: 60_000
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

test('a port in use is a clear error with what to do', () => {
  const { status, stdout } = sandlot(['serve', '--port', String(serve.info.port), '--json'])
  expect(status).toBe(1)
  expect(JSON.parse(stdout)).toEqual({
    error: {
      code: 'CONFLICT',
      message: `Port ${serve.info.port} on 127.0.0.1 is already in use.`,
      hint: `Stop what listens on 127.0.0.1:${serve.info.port}, choose another port with --port <port>, or use --port 0 for any free port.`
    }
  })
})

test('a bind beyond loopback is refused', () => {
  const { status, stderr } = sandlot(['serve', '--host', '0.0.0.0'])
  expect(status).toBe(2)
  expect(stderr).toContain('Sandlot serves on loopback only')
})

test('without --json it prints the sign-in URL, and stops cleanly on Ctrl+C', async () => {
  // A second server on the same data folder shares the token: the URL it prints signs in just the same.
  const child = spawn(process.execPath, [repoPath('bin/sandlot.js'), 'serve', '--port', '0'], {
    env: { ...process.env, SANDLOT_HOME: serve.home },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  try {
    await expect.poll(() => stdout).toContain('Press Ctrl+C to stop.')
    expect(stdout).toMatch(new RegExp(`Open this URL to sign in .*\\n +http://127\\.0\\.0\\.1:\\d+/\\?token=${serve.info.token}\\n`))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    // Before it, serve may report its background work once per cause (this data folder's core image is not
    // built, so the pool cannot warm containers); nothing else reaches stderr.
    expect(stderr).toMatch(/(^|\n)Received SIGINT: stopping\.\n$/)
    expect(stderr.replace(/The pool cannot warm containers:[^\n]*\n(  [^\n]*\n)*/, '')).toBe('Received SIGINT: stopping.\n')
  } finally {
    child.kill('SIGKILL')
  }
})
