import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SECRET_MASK } from '../../src-main/core/settings/secret-settings'
import { parseSettingText, settingKeys, settingValueProblem, type SettingKey } from '../../src-main/core/settings/setting-keys'
import { runSandlot, tempSandlotHome } from '../support/run-cli'

/** A value each setting accepts, other than its default (strings with a format need a real one). */
const GOOD: Record<string, string> = {
  'engine.host': 'unix:///tmp/sandlot-config-test.sock',
  'engine.context': 'some-context',
  'certificates.extraCaFile': '/etc/ssl/certs/ca-certificates.crt',
  'image.base': 'sandlot/base-offline:22-bookworm',
  'sync.url': 'https://orchestrator.example.com',
  'sync.token': 'sl_0123456789abcdef0123456789abcdef'
}

/** What `config` shows of a value: a secret only as the mask. */
const shown = (setting: SettingKey, text: string): string => (setting.secret ? SECRET_MASK : text)

function goodValue(setting: SettingKey): string {
  if (GOOD[setting.key] !== undefined) return GOOD[setting.key]!
  if (setting.kind === 'choice') return setting.options!.find((option) => option !== setting.default)!
  if (setting.kind === 'boolean') return String(setting.default !== true)
  if (setting.kind === 'integer' || setting.kind === 'number') return String(setting.max ?? (setting.min ?? 0) + 1)
  return 'a-value'
}

/** Values each kind refuses: the wrong type, and past its bounds. */
function badValues(setting: SettingKey): string[] {
  if (setting.kind === 'integer' || setting.kind === 'number') {
    return ['lots', ...(setting.max === undefined ? [] : [String(setting.max + 1)]), ...(setting.min === undefined ? [] : [String(setting.min - 1)]), ...(setting.kind === 'integer' ? ['1.5'] : [])]
  }
  if (setting.kind === 'choice') return ['neon']
  if (setting.kind === 'boolean') return ['maybe']
  // The one list today holds workspace names.
  if (setting.kind === 'list') return ['Not A Name!']
  if (setting.key === 'engine.host') return ['localhost:2375']
  // A token must not cross a network in clear: https://, or http:// to this machine only.
  if (setting.key === 'sync.url') return ['http://orchestrator.example.com', 'ftp://127.0.0.1', 'not a url']
  if (setting.key === 'sync.token') return ['', 'has a space']
  return ['']
}

describe('sandlot config (the built CLI)', () => {
  // Three runs of the built CLI per setting: over two minutes on a loaded two-core machine.
  it('sets, gets and unsets every setting by its dotted key, as JSON and as text', async () => {
    const home = tempSandlotHome()
    for (const setting of settingKeys()) {
      const text = goodValue(setting)
      const set = await runSandlot(['config', 'set', setting.key, text, '--json'], { SANDLOT_HOME: home })
      expect(set.code, `${setting.key}: ${set.stderr}`).toBe(0)
      const doc = JSON.parse(set.stdout)
      expect(doc.key).toBe(setting.key)
      expect(String(doc.value)).toBe(shown(setting, text))
      const got = await runSandlot(['config', 'get', setting.key], { SANDLOT_HOME: home })
      expect(got.stdout.trim()).toBe(shown(setting, text))
    }
    // The token is in the (owner-only) file, and nowhere in what the CLI prints.
    expect(JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8')).sync.token).toBe(GOOD['sync.token'])
    expect((await runSandlot(['config', 'list'], { SANDLOT_HOME: home })).stdout).not.toContain(GOOD['sync.token'])
    // What was written is the file the core reads: the list shows every value just set, and no problem.
    const list = JSON.parse((await runSandlot(['config', 'list', '--json'], { SANDLOT_HOME: home })).stdout)
    for (const setting of settingKeys()) expect(String(list.values[setting.key])).toBe(shown(setting, goodValue(setting)))
    expect(list.problems).toEqual([])
    expect(list.file).toBe(join(home, 'settings.json'))

    // Backwards: engine.context is checked against the Docker contexts once engine.host no longer overrides it.
    for (const setting of settingKeys().toReversed()) {
      const unset = await runSandlot(['config', 'unset', setting.key, '--json'], { SANDLOT_HOME: home })
      expect(unset.code, unset.stderr).toBe(0)
      expect(JSON.parse(unset.stdout).value).toEqual(setting.default)
    }
    const human = await runSandlot(['config', 'list'], { SANDLOT_HOME: home })
    expect(human.stdout).toMatch(/^\s+pool\.size\s+1$/m)
    expect(human.stdout).toMatch(/^\s+engine\.host\s+unset$/m)
  }, 300_000)

  it('refuses bad values with the core schema’s own message, exit 2, and writes nothing', async () => {
    const home = tempSandlotHome()
    const file = join(home, 'settings.json')
    expect((await runSandlot(['config', 'set', 'pool.size', '3'], { SANDLOT_HOME: home })).code).toBe(0)
    const before = readFileSync(file, 'utf8')
    for (const setting of settingKeys()) {
      for (const bad of badValues(setting)) {
        const run = await runSandlot(['config', 'set', setting.key, bad, '--json'], { SANDLOT_HOME: home })
        expect(run.code, `${setting.key}=${bad}`).toBe(2)
        const { error } = JSON.parse(run.stdout)
        expect(error.code).toBe('BAD_USAGE')
        const value = parseSettingText(setting, bad)
        expect(error.message).toContain(settingValueProblem(setting.key, value))
        expect(error.hint).toMatch(/Nothing was changed/)
        expect(readFileSync(file, 'utf8')).toBe(before)
      }
    }
    const text = await runSandlot(['config', 'set', 'pool.size', '17'], { SANDLOT_HOME: home })
    expect(text.stderr).toMatch(/^Error: "17" is not a valid pool\.size: Too big: expected number to be <=16\.$/m)
    expect(text.stderr).toMatch(/^Hint: pool\.size takes a whole number from 0 to 16\. Nothing was changed\.$/m)
  })

  it('names an unknown key and suggests the one meant (exit 2)', async () => {
    const home = tempSandlotHome()
    const run = await runSandlot(['config', 'set', 'pool.sise', '2'], { SANDLOT_HOME: home })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/pool\.sise is not a setting\. Did you mean pool\.size\?/)
    expect(existsSync(join(home, 'settings.json'))).toBe(false)
    const json = await runSandlot(['config', 'get', 'theme', '--json'], { SANDLOT_HOME: home })
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'BAD_USAGE', message: expect.stringMatching(/Did you mean appearance\.theme\?/) })
  })

  it('reads settings.json written with dotted keys, as the README shows them', async () => {
    const home = tempSandlotHome()
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ 'image.base': 'sandlot/base-offline:22-bookworm', 'pool.size': 0 }))
    const run = await runSandlot(['config', 'list', '--json'], { SANDLOT_HOME: home })
    expect(run.stderr).toBe('')
    const doc = JSON.parse(run.stdout)
    expect(doc.values['image.base']).toBe('sandlot/base-offline:22-bookworm')
    expect(doc.values['pool.size']).toBe(0)
    expect(doc.problems).toEqual([])
    // A change rewrites the file in the nested form, keeping the rest.
    expect((await runSandlot(['config', 'set', 'appearance.theme', 'dark'], { SANDLOT_HOME: home })).code).toBe(0)
    expect(JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8'))).toMatchObject({ image: { base: 'sandlot/base-offline:22-bookworm' }, pool: { size: 0 }, appearance: { theme: 'dark' } })
  })

  it('reports a broken file with its line, keeps the good values, and will not write over a file that is not JSON', async () => {
    const home = tempSandlotHome()
    const file = join(home, 'settings.json')
    writeFileSync(file, '{\n  "pool": 2,\n  "image": { "base": "my/base:1" }\n}\n')
    const list = await runSandlot(['config', 'list'], { SANDLOT_HOME: home })
    expect(list.code).toBe(0)
    expect(list.stderr).toContain(`Warning: ${file}: line 2: pool: Invalid input: expected object, received number; default kept`)
    expect(list.stdout).toMatch(/^\s+image\.base\s+my\/base:1/m)
    expect(list.stdout).toMatch(/Problems in the file[\s\S]*line 2: pool:/)

    writeFileSync(file, '{\n  "pool": { "size": 2 },\n  "image": \n}\n')
    const before = readFileSync(file, 'utf8')
    const set = await runSandlot(['config', 'set', 'pool.size', '3', '--json'], { SANDLOT_HOME: home })
    expect(set.code).toBe(1)
    expect(JSON.parse(set.stdout).error.message).toMatch(/line 4.*not readable as JSON/)
    // It names the file and says what to do, not only what is wrong.
    expect(JSON.parse(set.stdout).error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(file), hint: expect.stringMatching(/^Fix that line or delete the file/) })
    expect(readFileSync(file, 'utf8')).toBe(before)
  })
})

describe('sandlot serve and a broken settings.json', () => {
  it('says so on its terminal and in logs/serve.log, at start and when the file is edited while it runs', async () => {
    const home = tempSandlotHome()
    const file = join(home, 'settings.json')
    writeFileSync(file, '{\n  "appearance": { "theme": "neon" }\n}\n')
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'sandlot.js'), 'serve', '--port', '0', '--json'], {
      env: { ...process.env, SANDLOT_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const until = async (what: () => boolean, label: string): Promise<void> => {
      for (let i = 0; i < 300 && !what(); i++) await new Promise((resolve) => setTimeout(resolve, 100))
      expect(what(), `${label}; stderr so far:\n${stderr}`).toBe(true)
    }
    try {
      const first = `Warning: ${file}: line 2: appearance.theme: Invalid option: expected one of "system"|"light"|"dark"; default kept`
      await until(() => stderr.includes(first), 'the problem at start')
      const log = join(home, 'logs', 'serve.log')
      expect(readFileSync(log, 'utf8')).toContain(first.replace(/^/, ''))

      writeFileSync(file, '{\n  "image.base": "x",\n  "pool.size": 99\n}\n')
      const second = `${file}: line 3: pool.size: Too big: expected number to be <=16; default kept`
      await until(() => stderr.includes(second), 'the problem after an edit')
      await until(() => readFileSync(log, 'utf8').includes(second), 'the edit’s problem in the log')
      // Once per cause: the same file again says nothing new.
      const said = stderr.split(second).length
      writeFileSync(file, '{\n  "image.base": "x",\n  "pool.size": 99\n}\n')
      await new Promise((resolve) => setTimeout(resolve, 2500))
      expect(stderr.split(second).length).toBe(said)
    } finally {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  })
})
