import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { capturedIo } from './testing/captured-io'
import { runCli } from './program'

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const io = capturedIo({ SANDLOT_HOME: mkdtempSync(join(tmpdir(), 'sandlot-cli-')), ...env })
  const code = await runCli(argv, io, '1.2.3')
  return { code, stdout: io.out(), stderr: io.err() }
}

describe('sandlot CLI grammar', () => {
  it('says to put -- before a command whose options exec would take for its own', async () => {
    const r = await run(['exec', 'web', 'ls', '-la'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown option '-la'[\s\S]*Put -- before the command/)
  })

  it('prints help on stdout and exits 0', async () => {
    const r = await run(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Usage: sandlot/)
    expect(r.stdout).toMatch(/engine/)
  })

  it('gives every command --help', async () => {
    const r = await run(['engine', 'status', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Usage: sandlot engine status/)
  })

  it('prints the version', async () => {
    expect((await run(['--version'])).stdout.trim()).toBe('1.2.3')
  })

  it('exits 2 on an unknown command, suggesting the near one', async () => {
    const r = await run(['engine', 'statu'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/Did you mean status/)
    expect(r.stdout).toBe('')
  })

  it('exits 2 when a noun group is missing its verb', async () => {
    expect((await run(['engine'])).code).toBe(2)
  })

  it.each([
    [['rm', '--force', '../s1'], /"\.\.\/s1" is not a workspace name/],
    [['stop', 'Bad_Name'], /"Bad_Name" is not a workspace name/],
    [['logs', '../../etc'], /"\.\.\/\.\.\/etc" is not a workspace name/],
    [['save', '..', '/tmp/x.tar.gz'], /"\.\." is not a workspace name/],
    [['process', '-x-', 'status'], /"-x-" is not a workspace name|unknown option '-x-'/],
    [['create', '--template', 'shell', '--name', 'a/b'], /argument 'a\/b' is invalid.*not a workspace name/],
    [['templates', 'remove', '../x'], /value '\.\.\/x' is invalid.*Template ids/],
    [['logs', 'web', '--lines', '0'], /argument '0' is invalid.*whole number/],
    [['image', 'status', '--base', '../something'], /argument '\.\.\/something' is invalid.*must be an image reference/],
    [['image', 'build', '--base', '..//evil.example.com/x'], /must be an image reference/]
  ])('says what was wrong in a usage error: sandlot %j', async (argv, message) => {
    const r = await run(argv)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })

  it('turns usage errors into one JSON error document with --json', async () => {
    const r = await run(['--json', 'nonsense'])
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'BAD_USAGE', message: "unknown command 'nonsense'", hint: 'Run with --help for usage.' }
    })
  })

  it('reports an unreachable engine as ENGINE_UNREACHABLE, with the hint on stderr, exit 1', async () => {
    const r = await run(['engine', 'status', '--json'], { DOCKER_HOST: 'unix:///nonexistent/sandlot-test.sock' })
    expect(r.code).toBe(1)
    const doc = JSON.parse(r.stdout)
    expect(doc.error.code).toBe('ENGINE_UNREACHABLE')
    expect(doc.error.message).toMatch(/nonexistent\/sandlot-test\.sock/)
    expect(r.stderr).toMatch(/^Hint: .*DOCKER_HOST/m)
  })

  it('reports an unusable DOCKER_HOST clearly, without a stack trace', async () => {
    const r = await run(['engine', 'status'], { DOCKER_HOST: 'bogus://x' })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^Error: .*DOCKER_HOST/m)
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/)
  })

  it('prints the API token, the same every time, and rotates it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sandlot-cli-'))
    const first = JSON.parse((await run(['token', '--json'], { SANDLOT_HOME: home })).stdout).token
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect((await run(['token'], { SANDLOT_HOME: home })).stdout.trim()).toBe(first)
    const rotated = await run(['token', 'rotate', '--json'], { SANDLOT_HOME: home })
    expect(rotated.code).toBe(0)
    const second = JSON.parse(rotated.stdout).token
    expect(second).toMatch(/^[0-9a-f]{64}$/)
    expect(second).not.toBe(first)
    expect((await run(['token'], { SANDLOT_HOME: home })).stdout.trim()).toBe(second)
  })
})
