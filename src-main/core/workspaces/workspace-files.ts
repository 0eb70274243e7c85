import { closeSync, createReadStream, openSync, statSync, write } from 'node:fs'
import { posix } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { ARCHIVE_CAP, FILE_CAP, FileEntry, type fileMethods } from '../contract/files'
import { sanitizeArchive } from '../templates/template-archive'
import { unreadable } from '../templates/template-upload'
import { SandlotError } from '../sandlot-error'
import { CappedSink, type StreamingExec } from './captured-exec'
import type { z } from 'zod'

type Params<M extends keyof typeof fileMethods> = z.output<(typeof fileMethods)[M]['params']>
type Result<M extends keyof typeof fileMethods> = z.output<(typeof fileMethods)[M]['result']>

/**
 * One node process in the container resolves the path (links included) and acts on it, so the check that it
 * stays inside /app and the work happen together. The same token can run any command (workspaces.exec), so the
 * confinement guards against mistakes (a `..` too many, a link out), not against the caller.
 */
const SCRIPT = String.raw`
const fs = require('fs'), path = require('path')
const [op, given, encoding] = process.argv.slice(1)
const fail = (code, message) => { process.stdout.write(JSON.stringify({ error: { code, message } })); process.exit(3) }
const inside = (p) => p === '/app' || p.startsWith('/app/')
// A path as asked (wanted), its real path (real: links followed) and the entry itself (at: its folder's real path
// and its own name, so a link is moved or removed, not what it points to); refused when any leads out of /app.
const check = (given) => {
  const wanted = path.resolve('/app', given)
  if (!inside(wanted)) fail('BAD_REQUEST', given + ' is outside /app')
  // The real path of the deepest part that exists: a link anywhere on the way that leads out of /app is refused.
  let existing = wanted, rest = ''
  while (!fs.existsSync(existing)) { rest = path.join(path.basename(existing), rest); existing = path.dirname(existing) }
  const real = path.join(fs.realpathSync(existing), rest)
  if (!inside(real)) fail('BAD_REQUEST', given + ' leads out of /app (through a link)')
  const at = wanted === '/app' ? '/app' : path.join(check(path.dirname(wanted)).real, path.basename(wanted))
  return { wanted, real, at }
}
const { wanted, real, at } = check(given)
const entry = (p, shown) => {
  const s = fs.lstatSync(p)
  return { name: path.basename(shown), path: shown, type: s.isSymbolicLink() ? 'link' : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other', size: s.size, modified: s.mtime.toISOString() }
}
const notApp = () => { if (wanted === '/app') fail('BAD_REQUEST', '/app itself cannot be moved or removed') }
try {
  if (op === 'list') {
    process.stdout.write(JSON.stringify(fs.readdirSync(real).map((name) => entry(path.join(real, name), path.join(wanted, name)))))
  } else if (op === 'stat') {
    process.stdout.write(JSON.stringify(entry(at, wanted)))
  } else if (op === 'mkdir') {
    fs.mkdirSync(real, { recursive: true })
    process.stdout.write(JSON.stringify({ path: wanted }))
  } else if (op === 'move') {
    notApp()
    fs.lstatSync(at)
    const to = check(encoding)
    if (fs.lstatSync(to.at, { throwIfNoEntry: false })) fail('CONFLICT', encoding + ' exists')
    fs.mkdirSync(path.dirname(to.at), { recursive: true })
    fs.renameSync(at, to.at)
    process.stdout.write(JSON.stringify({ from: wanted, to: to.wanted }))
  } else if (op === 'remove') {
    notApp()
    const s = fs.lstatSync(at)
    if (s.isDirectory() && encoding !== 'recursive' && fs.readdirSync(at).length > 0) fail('CONFLICT', given + ' is a folder that is not empty')
    fs.rmSync(at, { recursive: true })
    process.stdout.write(JSON.stringify({ path: wanted, removed: true }))
  } else if (op === 'read') {
    const size = fs.statSync(real).size
    if (size > Number(process.env.FILE_CAP)) fail('CONFLICT', given + ' is ' + size + ' bytes: more than the API reads at once')
    process.stdout.write(JSON.stringify({ path: wanted, size, content: fs.readFileSync(real).toString(encoding), encoding }))
  } else if (op === 'write') {
    const data = Buffer.from(fs.readFileSync(0, 'utf8'), encoding)
    fs.mkdirSync(path.dirname(real), { recursive: true })
    fs.writeFileSync(real, data)
    process.stdout.write(JSON.stringify({ path: wanted, size: data.length }))
  } else if (op === 'place') {
    // Where an archive goes (made when missing) or comes from: its real path, checked above.
    if (encoding === 'make') fs.mkdirSync(real, { recursive: true })
    process.stdout.write(JSON.stringify({ path: wanted, real, dir: fs.statSync(real).isDirectory() }))
  }
} catch (err) {
  fail(err.code === 'ENOENT' ? 'NOT_FOUND' : err.code === 'EISDIR' || err.code === 'ENOTDIR' ? 'CONFLICT' : 'BAD_REQUEST', given + ': ' + err.message.replace(/^[A-Z]+: /, ''))
}
`

/** What the script may print: a file read is at most FILE_CAP bytes, base64 and JSON around it. */
const OUTPUT_CAP = FILE_CAP * 2
/** What to do about each refusal of the script; nothing was changed by any of them. */
const FILE_HINTS = {
  BAD_REQUEST: 'Give a path inside /app. Nothing was changed.',
  NOT_FOUND: 'List its folder (files.list) to see what is there. Nothing was changed.',
  CONFLICT: 'A folder cannot be read or written as a file, nor a file listed as a folder; a move does not replace, and a folder with files in it is removed only with recursive: check the path. Nothing was changed.'
} as const
/** Only the start of an error output is shown. */
const ERROR_CAP = 64 * 1024

/** Runs the file script for one operation and answers its JSON, or throws the refusal it printed. */
function fileScript(exec: StreamingExec) {
  return async (name: string, args: string[], stdin?: string): Promise<unknown> => {
    const out = new CappedSink(OUTPUT_CAP)
    const err = new CappedSink(ERROR_CAP)
    const io = { stdout: out, stderr: err, ...(stdin === undefined ? {} : { stdin: Readable.from([stdin]) }) }
    const code = await exec(name, ['node', '-e', SCRIPT, ...args], io, { env: { FILE_CAP: String(FILE_CAP) } })
    if (out.truncated) {
      throw new SandlotError(
        'CONFLICT',
        `${name}: the answer to "${args[0]} ${args[1]}" is larger than ${OUTPUT_CAP} bytes (a huge folder, or a binary file read as text).`,
        'Read a binary file with encoding base64, list a smaller folder, or use `sandlot exec` for it. Nothing was changed.'
      )
    }
    let answer: unknown
    try {
      answer = JSON.parse(out.text())
    } catch {
      throw new SandlotError(
        'INTERNAL',
        `The file operation in ${name} failed (exit ${code}): ${err.text().slice(0, 500)}`,
        `Check that ${name} is running (\`sandlot ls\`) and try again; \`sandlot exec ${name} -- ls -la /app\` shows what is there.`
      )
    }
    const error = (answer as { error?: { code: 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT'; message: string } }).error
    if (error) throw new SandlotError(error.code, `${name}: ${error.message}.`, FILE_HINTS[error.code])
    return answer
  }
}

export function fileHandlers(exec: StreamingExec) {
  const run = fileScript(exec)
  return {
    'files.list': async ({ name, path }: Params<'files.list'>): Promise<Result<'files.list'>> => FileEntry.array().parse(await run(name, ['list', path ?? '.'])),
    'files.read': async ({ name, path, encoding }: Params<'files.read'>) => (await run(name, ['read', path, encoding ?? 'utf8'])) as Result<'files.read'>,
    'files.write': async ({ name, path, content, encoding }: Params<'files.write'>) => (await run(name, ['write', path, encoding ?? 'utf8'], content)) as Result<'files.write'>,
    'files.stat': async ({ name, path }: Params<'files.stat'>) => FileEntry.parse(await run(name, ['stat', path])),
    'files.mkdir': async ({ name, path }: Params<'files.mkdir'>) => (await run(name, ['mkdir', path])) as Result<'files.mkdir'>,
    'files.move': async ({ name, from, to }: Params<'files.move'>) => (await run(name, ['move', from, to])) as Result<'files.move'>,
    'files.remove': async ({ name, path, recursive }: Params<'files.remove'>) => (await run(name, ['remove', path, recursive ? 'recursive' : ''])) as Result<'files.remove'>
  }
}

/**
 * Archives in and out of /app, through `tar` run as `node` in the container: nothing lands where the app's own
 * user could not write itself (the engine's archive API extracts as root, through any link already in /app).
 */
export function archiveHandlers(exec: StreamingExec) {
  const run = fileScript(exec)
  /** Checks a path for an archive and answers its real path (`make`: a folder, made when missing). */
  const place = async (name: string, path: string, mode: 'make' | 'existing') => (await run(name, ['place', path, mode])) as { path: string; real: string; dir: boolean }
  return {
    'files.upload': async ({ name, path, file }: Params<'files.upload'>): Promise<Result<'files.upload'>> => {
      const bytes = statSync(file).size
      // Every entry is checked before anything is extracted: a refused archive changes nothing.
      await (async () => {
        for await (const _chunk of sanitizeArchive(createReadStream(file))) void _chunk
      })().catch(unreadable)
      const target = await place(name, path ?? '.', 'make')
      if (!target.dir) throw new SandlotError('CONFLICT', `${name}: ${target.path} is a file, not a folder.`, FILE_HINTS.CONFLICT)
      const err = new CappedSink(ERROR_CAP)
      const code = await exec(name, ['tar', '-x', '-f', '-', '-C', target.real, '--no-same-owner', '--no-overwrite-dir'], { stdout: err, stderr: err, stdin: sanitizeArchive(createReadStream(file)) })
      if (code !== 0) throw new SandlotError('CONFLICT', `${name}: extracting into ${target.path} failed (exit ${code}): ${err.text().slice(0, 500)}`, 'Check that the folder is writable by node; what was extracted before the failure stays.')
      return { path: target.path, bytes }
    },
    'files.download': async ({ name, path, file }: Params<'files.download'>): Promise<Result<'files.download'>> => {
      const source = await place(name, path ?? '.', 'existing')
      // A folder's entries are relative to it (an upload into the same folder puts them back); a file goes alone.
      const from = source.dir ? ['-C', source.real, '.'] : ['-C', posix.dirname(source.real), posix.basename(source.real)]
      const out = new FileSink(file, ARCHIVE_CAP)
      const err = new CappedSink(ERROR_CAP)
      const code = await exec(name, ['tar', '-c', '-f', '-', ...from], { stdout: out, stderr: err })
      const bytes = await out.close()
      if (out.truncated) throw new SandlotError('CONFLICT', `${name}: ${source.path} is larger than ${ARCHIVE_CAP} bytes as a tar.`, 'Download a smaller folder, or leave build output out. Nothing was sent.')
      if (code !== 0) throw new SandlotError('CONFLICT', `${name}: archiving ${source.path} failed (exit ${code}): ${err.text().slice(0, 500)}`, 'Check that node can read everything in it.')
      return { path: source.path, bytes }
    }
  }
}

/** Writes to a file on this machine up to `cap` bytes; past it, drops the rest and says so (container output is unbounded). */
class FileSink extends Writable {
  readonly #fd: number
  #written = 0
  truncated = false

  constructor(file: string, readonly cap: number) {
    super()
    this.#fd = openSync(file, 'wx', 0o600)
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error) => void): void {
    if (this.#written + chunk.length > this.cap) this.truncated = true
    if (this.truncated) return done()
    this.#written += chunk.length
    write(this.#fd, chunk, 0, chunk.length, null, (err) => done(err ?? undefined))
  }

  /** Closes the file once everything written is on disk; the bytes written. */
  async close(): Promise<number> {
    await new Promise<void>((resolve) => this.end(resolve))
    closeSync(this.#fd)
    return this.#written
  }
}
