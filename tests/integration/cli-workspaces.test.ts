import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSandlotCore } from '../../src-main/core/sandlot-core'
import { testBaseImage } from '../support/core-image'
import { removeInstanceObjects } from '../support/instance-cleanup'
import { runSandlot, tempSandlotHome } from '../support/run-cli'

const home = tempSandlotHome()
// Container names are engine-wide: a suffix keeps this run clear of other data folders' workspaces.
const id = Math.random().toString(16).slice(2, 8)
const [sh1, api1, web1] = [`sh-${id}`, `api-${id}`, `web-${id}`]
const env = { SANDLOT_HOME: home }

async function json(args: string[]): Promise<any> {
  const run = await runSandlot([...args, '--json'], env)
  if (run.code !== 0) throw new Error(`sandlot ${args.join(' ')} exited ${run.code}:\n${run.stdout}\n${run.stderr}`)
  return JSON.parse(run.stdout)
}

beforeAll(() => {
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 1 } }))
})

afterAll(async () => {
  const core = openSandlotCore({ home })
  try {
    await removeInstanceObjects(core.engine.connection.docker, core.instanceId)
  } finally {
    core.close()
  }
})

describe('workspaces through the CLI, from each built-in template', () => {
  it('lists the built-in templates', async () => {
    const ids = (await json(['templates', 'list'])).map((t: { id: string }) => t.id)
    expect(ids).toEqual(expect.arrayContaining(['react-vite-ts', 'node-api', 'shell']))
  })

  it('fills the pool', async () => {
    expect(await json(['pool', 'fill'])).toMatchObject({ target: 1, ready: 1 })
  })

  it('creates a shell workspace, runs commands in it, and passes exit codes through', async () => {
    // Its own idle stop (0: never), kept with it.
    expect(await json(['create', '--template', 'shell', '--name', sh1, '--idle-stop', '0'])).toMatchObject({ name: sh1, status: 'ready', idleStopMinutes: 0 })
    const ok = await runSandlot(['exec', sh1, '--', 'bash', '-c', 'echo hi from $(whoami)'], env)
    expect(ok).toMatchObject({ code: 0, stdout: 'hi from node\n' })
    expect((await runSandlot(['exec', sh1, '--', 'bash', '-c', 'exit 42'], env)).code).toBe(42)
    // -i passes standard input through, and its end closes the command's.
    const piped = await runSandlot(['exec', '-i', sh1, '--', 'bash', '-c', 'tr a-z A-Z; echo done'], env, 'from the host\n')
    expect(piped).toMatchObject({ code: 0, stdout: 'FROM THE HOST\ndone\n' })
  })

  it('opens an interactive shell on a terminal, and exits with its code', async () => {
    const pty = (await import('node-pty')).default
    const term = pty.spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'sandlot.js'), 'shell', sh1], {
      cols: 100,
      rows: 30,
      env: { ...process.env, ...env } as Record<string, string>
    })
    let screen = ''
    term.onData((data) => (screen += data))
    const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)))
    const deadline = Date.now() + 30_000
    while (!/\$ ?$/m.test(screen) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    term.write('echo "six times seven is $((6*7)) in $(pwd) as $(whoami)"; exit 5\r')
    expect(await exited).toBe(5)
    expect(screen).toContain('six times seven is 42 in /app as node')
  })

  it('refuses `shell` without a terminal, pointing to exec', async () => {
    const run = await runSandlot(['shell', sh1], env)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/sandlot exec/)
  })

  it('creates the Node API workspace and its preview answers; its app stops and starts under the monitor', async () => {
    const ws = await json(['create', '--template', 'node-api', '--name', api1])
    const res = await fetch(`${ws.previewUrl}/health`)
    expect(res.status).toBe(200)
    expect(await json(['process', api1, 'stop'])).toMatchObject({ state: 'stopped' })
    // Start needs no command: the workspace knows its template's.
    expect((await json(['process', api1, 'start'])).state).toMatch(/starting|running|ready/)
    // As text: the monitor's own lines, restarts and the last exit (of the stop above) included.
    const status = await runSandlot(['process', api1, 'status'], env)
    expect(status.stdout).toMatch(/^state: +(starting|running|ready) /m)
    expect(status.stdout).toMatch(/^restarts: +0 automatic since the monitor started/m)
    expect(status.stdout).toMatch(/^last exit: +(signal SIGTERM|code \d+) after \d+ ms/m)
    // What the app printed, from the monitor, on stdout (its stderr lines on stderr).
    const logs = await runSandlot(['logs', api1, '-n', '50'], env)
    expect(logs.code).toBe(0)
    expect(logs.stdout).toMatch(/^Listening on http:\/\//m)
    expect((await json(['logs', api1])).lines).toEqual(expect.arrayContaining([expect.objectContaining({ stream: 'stdout', line: expect.stringMatching(/^Listening on/) })]))
    expect((await runSandlot(['logs', api1, '-n', '0'], env)).code).toBe(2)
    const bad = await runSandlot(['process', api1, 'bogus'], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/Allowed choices are status, start, stop, restart/)
    const shell = await runSandlot(['process', sh1, 'restart', '--json'], env)
    expect(JSON.parse(shell.stdout).error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/runs no app/) })
  })

  it('ends a failed create (its container kept for a look inside), which then stops, starts and goes without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandlot-broken-'))
    writeFileSync(join(dir, 'template.json'), JSON.stringify({ id: 'broken', name: 'Broken', install: 'echo no such package >&2; exit 3', start: 'sleep 600' }))
    expect((await runSandlot(['templates', 'add', dir], env)).code).toBe(0)
    const name = `bad-${id}`
    const failed = await runSandlot(['create', '--template', 'broken', '--name', name], env)
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/exited with code 3/)
    expect(await json(['stop', name])).toMatchObject({ status: 'failed', container: 'exited' })
    expect(await json(['start', name])).toMatchObject({ status: 'failed', container: 'running' })
    expect(await json(['rm', name])).toEqual({ name, removed: true })
  })

  it('says what Ctrl+C leaves behind, shows it as interrupted, and removes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandlot-slow-'))
    writeFileSync(join(dir, 'template.json'), JSON.stringify({ id: 'slow', name: 'Slow', install: 'sleep 60', start: 'sleep 600' }))
    expect((await runSandlot(['templates', 'add', dir], env)).code).toBe(0)
    const name = `cut-${id}`
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'sandlot.js'), 'create', '--template', 'slow', '--name', name], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (stderr.includes('install:')) child.kill('SIGINT')
    })
    const signal = await new Promise((resolve) => child.on('close', (_code, sig) => resolve(sig)))
    expect(signal).toBe('SIGINT')
    expect(stderr).toContain(`Interrupted: ${name} is left unfinished`)
    const [row] = (await json(['ls'])).filter((w: { name: string }) => w.name === name)
    expect(row).toMatchObject({ status: 'failed', phase: 'install', error: { code: 'INTERRUPTED' } })
    expect(await json(['rm', '--force', name])).toEqual({ name, removed: true })
  })

  it('creates the React workspace, installs its dependencies and serves its page', async () => {
    const ws = await json(['create', '--template', 'react-vite-ts', '--name', web1])
    expect(ws.status).toBe('ready')
    const page = await (await fetch(ws.previewUrl)).text()
    expect(page).toContain('<div id="root">')
    expect((await json(['open', web1])).url).toBe(ws.previewUrl)
  })

  it('lists, stops and removes them; a bad name is a usage error', async () => {
    const listed = await json(['ls'])
    expect(listed.map((w: { name: string }) => w.name).sort()).toEqual([api1, sh1, web1].sort())
    // Only sh1 was given its own idle stop; the others follow the setting and say nothing of it.
    expect(listed.map((w: { name: string; idleStopMinutes?: number }) => [w.name, w.idleStopMinutes]).sort()).toEqual([[api1, undefined], [sh1, 0], [web1, undefined]].sort())
    expect(await json(['stop', api1])).toMatchObject({ container: 'exited' })
    expect((await runSandlot(['open', api1], env)).code).toBe(1)
    expect(await json(['rm', api1])).toEqual({ name: api1, removed: true })
    expect((await runSandlot(['rm', 'Not_A_Name'], env)).code).toBe(2)
    const missing = await runSandlot(['rm', 'nope', '--json'], env)
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.stdout).error.code).toBe('NOT_FOUND')
  })

  it('refuses a name whose container already exists on the engine, creating nothing', async () => {
    const other = tempSandlotHome()
    writeFileSync(join(other, 'settings.json'), JSON.stringify({ image: { base: testBaseImage() }, pool: { size: 0 } }))
    const run = await runSandlot(['create', '--template', 'shell', '--name', sh1, '--json'], { SANDLOT_HOME: other })
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'CONFLICT', hint: expect.stringMatching(/another Sandlot data folder/) })
  })
})
