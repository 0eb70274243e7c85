import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { describe, expect, it } from 'vitest'
import { addCreateOptions, createParams, memorySize, type CreateOptions } from './create-options'

const none: CreateOptions = { env: [], envFile: [] }

describe('sandlot create options', () => {
  it('need exactly one source, and --branch only with --git', () => {
    expect(() => createParams(none)).toThrow('Say what to create the workspace from.')
    expect(() => createParams({ ...none, template: 'shell', git: 'https://h/r' })).toThrow('Give one source, not --template and --git.')
    expect(() => createParams({ ...none, template: 'shell', branch: 'dev' })).toThrow('--branch goes with --git.')
    expect(() => createParams({ ...none, git: 'https://h/r', mount: true })).toThrow('--mount goes with --folder.')
    expect(createParams({ ...none, folder: 'app', mount: true })).toEqual({ folder: resolve('app'), mount: true })
  })

  it('make a folder absolute and merge env files before --env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandlot-envfile-'))
    writeFileSync(join(dir, 'a.env'), 'A=from-file\nB=file\n')
    const params = createParams({ ...none, folder: 'some/app', envFile: [join(dir, 'a.env')], env: ['A=flag', 'C=x=y'], memory: 512, cpus: 1.5, start: 'npm run dev', port: 3000 })
    expect(params).toEqual({ folder: resolve('some/app'), env: { A: 'flag', B: 'file', C: 'x=y' }, limits: { memoryMb: 512, cpus: 1.5 }, start: 'npm run dev', port: 3000 })
    expect(createParams({ ...none, git: 'git@github.com:o/r.git', branch: 'dev' })).toEqual({ git: { url: 'git@github.com:o/r.git', branch: 'dev' } })
  })

  it('refuse a bad --env and an unreadable --env-file, naming them', () => {
    expect(() => createParams({ ...none, template: 'shell', env: ['1X=y'] })).toThrow(/--env "1X" is not a valid variable name/)
    expect(() => createParams({ ...none, template: 'shell', envFile: ['/nonexistent/.env'] })).toThrow('Cannot read the environment file /nonexistent/.env: ENOENT.')
  })

  it('take a per-workspace idle stop in whole minutes, 0 for never', () => {
    const parse = (...args: string[]): CreateOptions => addCreateOptions(new Command().exitOverride().configureOutput({ writeErr: () => {} })).parse(['--template', 'shell', ...args], { from: 'user' }).opts<CreateOptions>()
    expect(createParams(parse('--idle-stop', '30'))).toEqual({ template: 'shell', idleStopMinutes: 30 })
    expect(createParams(parse('--idle-stop', '0'))).toEqual({ template: 'shell', idleStopMinutes: 0 })
    expect(createParams(parse('--idle-stop', 'never'))).toEqual({ template: 'shell', idleStopMinutes: 0 })
    expect(createParams(parse())).toEqual({ template: 'shell' })
    for (const bad of ['-1', '1.5', 'soon', '10081', 'setting']) expect(() => parse('--idle-stop', bad)).toThrow(/is not a number of minutes from 0 \(never\) to 10080 \(a week\), or `never`/)
  })

  it('read memory sizes in m and g', () => {
    expect(memorySize('2g')).toBe(2048)
    expect(memorySize('512m')).toBe(512)
    expect(memorySize('1.5G')).toBe(1536)
    expect(memorySize('1024')).toBe(1024)
    expect(() => memorySize('64m')).toThrow(InvalidArgumentError)
    expect(() => memorySize('lots')).toThrow(InvalidArgumentError)
    expect(memorySize('64g')).toBe(65_536)
    expect(() => memorySize('65g')).toThrow(InvalidArgumentError)
  })
})
