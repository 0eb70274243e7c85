import { execFile } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { loadApiToken, tokenMatches } from './api-token'
import { SandlotError } from './sandlot-error'

function tokenFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'sandlot-token-')), 'api-token')
}

describe('API token file', () => {
  it('is created on first use, private to the user, with a 256-bit random token', () => {
    const file = tokenFile()
    const token = loadApiToken(file)
    expect(token).toMatch(/^[0-9a-f]{64}$/)
    expect(readFileSync(file, 'utf8').trim()).toBe(token)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    // No temporary file is left behind.
    expect(readdirSync(join(file, '..'))).toEqual(['api-token'])
  })

  it('is reused by later calls and differs between data folders', () => {
    const file = tokenFile()
    const first = loadApiToken(file)
    expect(loadApiToken(file)).toBe(first)
    expect(loadApiToken(tokenFile())).not.toBe(first)
  })

  it('is made private again when its mode was loosened', () => {
    const file = tokenFile()
    loadApiToken(file)
    chmodSync(file, 0o644)
    loadApiToken(file)
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('is the same for processes that create it at the same moment', async () => {
    const file = tokenFile()
    const module = new URL('./api-token.ts', import.meta.url).pathname
    // Each process spins until one shared instant, then loads the token: the creations really overlap.
    const script = `import { loadApiToken } from ${JSON.stringify(module)}
      while (Date.now() < Number(process.argv[2])) {}
      console.log(loadApiToken(process.argv[1]))`
    const startAt = String(Date.now() + 2_000)
    const runs = Array.from({ length: 6 }, () => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file, startAt]))
    const tokens = (await Promise.all(runs)).map(({ stdout }) => stdout.trim())
    expect(new Set(tokens).size).toBe(1)
    expect(tokens[0]).toBe(readFileSync(file, 'utf8').trim())
    expect(readdirSync(join(file, '..'))).toEqual(['api-token'])
  }, 30_000)

  // Only root can create a file that belongs to another user and then run the loader as that user; elsewhere
  // the situation cannot be set up for real, so the test does not run.
  it.skipIf(process.getuid?.() !== 0)('says to chown the data folder when the token file belongs to another user [runs as root only: it needs a file of another user]', async () => {
    const file = tokenFile()
    chmodSync(join(file, '..'), 0o755)
    // Readable by everyone, as after a copy: the loader wants to make it private, which only its owner may.
    writeFileSync(file, `${'c'.repeat(64)}\n`, { mode: 0o644 })
    const module = new URL('./api-token.ts', import.meta.url).pathname
    const script = `import { loadApiToken } from ${JSON.stringify(module)}
      try { loadApiToken(process.argv[1]) } catch (err) { console.log(JSON.stringify({ name: err.name, code: err.code, message: err.message, hint: err.hint })) }`
    const nobody = 65_534
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file], { uid: nobody, gid: nobody })
    expect(JSON.parse(stdout)).toEqual({
      name: 'SandlotError',
      code: 'DATA_FOLDER',
      message: expect.stringMatching(/^Cannot make the API token file .* private: EPERM/),
      hint: expect.stringMatching(/^chown the data folder to your user/)
    })
  }, 30_000)

  it('refuses a file that holds no valid token, saying what to do', () => {
    const file = tokenFile()
    writeFileSync(file, 'not a token\n', { mode: 0o600 })
    expect(() => loadApiToken(file)).toThrowError(SandlotError)
    expect(() => loadApiToken(file)).toThrowError(/does not hold a valid token/)
  })
})

describe('token check', () => {
  const token = 'a'.repeat(64)

  it('accepts only the exact token', () => {
    expect(tokenMatches(token, token)).toBe(true)
    expect(tokenMatches(token, 'b'.repeat(64))).toBe(false)
    expect(tokenMatches(token, token.slice(1))).toBe(false)
    expect(tokenMatches(token, `${token}a`)).toBe(false)
    expect(tokenMatches(token, '')).toBe(false)
  })

  it('rejects values that are not strings', () => {
    expect(tokenMatches(token, undefined)).toBe(false)
    expect(tokenMatches(token, null)).toBe(false)
    expect(tokenMatches(token, 42)).toBe(false)
  })
})
