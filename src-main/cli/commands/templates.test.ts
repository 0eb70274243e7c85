import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { capturedIo } from '../testing/captured-io'
import { runCli } from '../program'

const tempDir = () => mkdtempSync(join(tmpdir(), 'sandlot-cli-templates-'))

/** One CLI call against its own data folder; the built-in templates are this checkout's. */
async function run(argv: string[], home = tempDir()) {
  const io = capturedIo({ SANDLOT_HOME: home })
  const code = await runCli(argv, io)
  return { code, stdout: io.out(), stderr: io.err() }
}

function templateFolder(manifest: Record<string, unknown>): string {
  const dir = tempDir()
  writeFileSync(join(dir, 'template.json'), JSON.stringify(manifest))
  mkdirSync(join(dir, 'src'))
  writeFileSync(join(dir, 'src', 'index.js'), 'console.log("hi")')
  return dir
}

const mine = { id: 'mine', name: 'My template', description: 'Mine', start: 'node src/index.js', port: 8080 }

describe('settings problems', () => {
  it('are said on stderr by every command that opens the core, and the command still runs', async () => {
    const home = tempDir()
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ pool: { size: 99 }, colour: 'blue' }))
    const r = await run(['templates', 'list', '--json'], home)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'shell' })]))
    expect(r.stderr).toMatch(/Warning: .*settings\.json: line 1: pool\.size: .*default kept/)
    expect(r.stderr).toMatch(/Warning: .*settings\.json: line 1: colour/)
    writeFileSync(join(home, 'settings.json'), '{not json')
    expect((await run(['templates', 'list'], home)).stderr).toMatch(/Warning: .*settings\.json: line 1: not readable as JSON/)
  })
})

describe('sandlot templates', () => {
  it('lists the built-in templates as an aligned table', async () => {
    const r = await run(['templates', 'list'])
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^ID\s+NAME\s+SOURCE\s+PM\s+DESCRIPTION$/)
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/)[0])).toEqual(['node-api', 'react-vite-ts', 'shell'])
    // Aligned: every row's NAME column starts where the header's does.
    const nameColumn = lines[0]!.indexOf('NAME')
    for (const line of lines.slice(1)) expect(line[nameColumn - 1]).toBe(' ')
    expect(lines.find((line) => line.startsWith('react-vite-ts'))).toMatch(/React \+ Vite \+ TypeScript\s+builtin\s+npm/)
  })

  it('lists as one JSON document with --json', async () => {
    const r = await run(['templates', 'list', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toContainEqual(expect.objectContaining({ id: 'shell', source: 'builtin', name: 'Shell' }))
  })

  it('shows how a template installs and starts', async () => {
    const r = await run(['templates', 'show', 'react-vite-ts'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^React \+ Vite \+ TypeScript\n/)
    expect(r.stdout).toMatch(/^ {2}install\s+npm ci$/m)
    expect(r.stdout).toMatch(/^ {2}port\s+5173$/m)
    expect(r.stdout).toMatch(/^ {2}files\s+\d+ \(\d+\.\d KB\)$/m)
    const json = JSON.parse((await run(['templates', 'show', 'shell', '--json'])).stdout)
    expect(json).toMatchObject({ id: 'shell', source: 'builtin', inferred: false, manifest: { id: 'shell', name: 'Shell' } })
  })

  it('refuses an id that is not one as bad usage (exit 2), before opening anything', async () => {
    const r = await run(['templates', 'show', 'Not_An_Id', '--json'], '/nonexistent/never-created')
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'BAD_USAGE', message: expect.stringMatching(/Template ids are 1 to 63 lowercase letters/) } })
    expect((await run(['templates', 'remove'])).code).toBe(2)
  })

  it('says NOT_FOUND for an unknown template (exit 1)', async () => {
    const r = await run(['templates', 'show', 'nope'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^Error: There is no template "nope"\.$/m)
    expect(r.stderr).toMatch(/^Hint: .*sandlot templates list/m)
  })

  it('adds, refuses a second add without --replace, replaces, and removes a user template', async () => {
    const home = tempDir()
    const added = await run(['templates', 'add', templateFolder(mine)], home)
    expect(added.code).toBe(0)
    expect(added.stdout).toMatch(/^Added template mine\.\nMy template\nMine\n/)
    expect((await run(['templates', 'list'], home)).stdout).toMatch(/^mine\s+My template\s+user\s+-\s+Mine$/m)

    const again = await run(['templates', 'add', templateFolder({ ...mine, name: 'Second' }), '--json'], home)
    expect(again.code).toBe(1)
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'CONFLICT', hint: expect.stringMatching(/--replace/) } })

    const replaced = await run(['templates', 'add', templateFolder({ ...mine, name: 'Second' }), '--replace', '--json'], home)
    expect(replaced.code).toBe(0)
    expect(JSON.parse(replaced.stdout)).toMatchObject({ id: 'mine', replaced: true, manifest: { name: 'Second' }, files: 1 })

    expect(await run(['templates', 'remove', 'mine'], home)).toMatchObject({ code: 0, stdout: 'Removed template mine.\n' })
    expect((await run(['templates', 'list', '--json'], home)).stdout).not.toContain('"mine"')
  })

  it('reports every problem of a bad template and installs nothing', async () => {
    const home = tempDir()
    const r = await run(['templates', 'add', templateFolder({ ...mine, port: 0, prot: 1 })], home)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('template.json: "port": must be a number from 1 to 65535')
    expect(r.stderr).toContain('template.json: unknown key "prot"')
    expect(JSON.parse((await run(['templates', 'list', '--json'], home)).stdout).map((t: { id: string }) => t.id)).toEqual(['node-api', 'react-vite-ts', 'shell'])
  })

  it('keeps built-in templates', async () => {
    const r = await run(['templates', 'remove', 'shell', '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/cannot be removed/) } })
  })
})
