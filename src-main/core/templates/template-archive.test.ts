import { execFileSync } from 'node:child_process'
import { chmodSync, linkSync, lstatSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { extract, pack, type Header } from 'tar-stream'
import { describe, expect, it } from 'vitest'
import { folderWith } from './testing/template-folders'
import { APP_UID, checkArchiveEntry, openChecked, packTemplate, readTemplateTree, sanitizeArchive, type ArchiveEntryHeader } from './template-archive'

interface TarEntry {
  header: Header
  body: string
}

/** Every entry of a tar stream; rejects when the stream fails. */
async function readTar(stream: NodeJS.ReadableStream): Promise<TarEntry[]> {
  const input = extract()
  stream.on('error', (err: Error) => input.destroy(err))
  stream.pipe(input as unknown as NodeJS.WritableStream)
  const entries: TarEntry[] = []
  for await (const entry of input) {
    const chunks: Buffer[] = []
    for await (const chunk of entry) chunks.push(chunk as Buffer)
    entries.push({ header: entry.header, body: Buffer.concat(chunks).toString() })
  }
  return entries
}

/** A tar with exactly these headers, as a hostile archive would be made. */
function craftTar(entries: Array<Partial<Header> & { name: string; body?: string }>): NodeJS.ReadableStream {
  const tar = pack()
  for (const { body, ...header } of entries) tar.entry({ mode: 0o644, ...header }, body ?? '')
  tar.finalize()
  return tar as unknown as NodeJS.ReadableStream
}

function refusal(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).toMatchObject({ code: 'BAD_REQUEST' })
    return (err as Error).message
  }
  throw new Error('expected a refusal')
}

describe('packing a template for /app', () => {
  it('owns every entry as node (uid 1000), folders before their content', async () => {
    const dir = folderWith({ 'package.json': '{}', 'src/main.ts': 'main', 'src/deep/x.ts': 'x' })
    symlinkSync('src/main.ts', join(dir, 'entry.ts'))
    const entries = await readTar(packTemplate(dir).stream)
    expect(entries.map((e) => [e.header.name, e.header.type])).toEqual([
      ['entry.ts', 'symlink'],
      ['package.json', 'file'],
      ['src', 'directory'],
      ['src/deep', 'directory'],
      ['src/main.ts', 'file'],
      ['src/deep/x.ts', 'file']
    ])
    for (const { header } of entries) expect(header).toMatchObject({ uid: APP_UID, gid: APP_UID, uname: 'node', gname: 'node' })
    expect(entries.find((e) => e.header.name === 'entry.ts')?.header.linkname).toBe('src/main.ts')
    expect(entries.find((e) => e.header.name === 'src/deep/x.ts')?.body).toBe('x')
  })

  it('keeps permission bits and drops setuid, setgid and sticky bits', async () => {
    const dir = folderWith({ 'run.sh': '#!/bin/sh', 'secret.txt': 's', 'suid': 'x', 'shared/x': '' })
    chmodSync(join(dir, 'run.sh'), 0o755)
    chmodSync(join(dir, 'secret.txt'), 0o600)
    chmodSync(join(dir, 'suid'), 0o6755)
    chmodSync(join(dir, 'shared'), 0o1777)
    const modes = Object.fromEntries((await readTar(packTemplate(dir).stream)).map((e) => [e.header.name, e.header.mode]))
    expect(modes).toMatchObject({ 'run.sh': 0o755, 'secret.txt': 0o600, suid: 0o755, shared: 0o777 })
  })

  it('leaves out node_modules and .git at any depth, whatever they are, and the top-level template.json', async () => {
    const dir = folderWith({
      'template.json': '{}',
      'index.js': '',
      'node_modules/react/index.js': '',
      'packages/ui/node_modules/x/index.js': '',
      'packages/ui/template.json': 'kept: only the top one is metadata',
      '.git/HEAD': '',
      'packages/ui/.git': 'gitdir: ../../.git/worktrees/ui'
    })
    symlinkSync('/somewhere/else', join(dir, 'packages', 'node_modules'))
    const packed = packTemplate(dir)
    const names = (await readTar(packed.stream)).map((e) => e.header.name)
    expect(names).toEqual(['index.js', 'packages', 'packages/ui', 'packages/ui/template.json'])
    expect(packed.files).toBe(2)
    expect(packed.bytes).toBe('kept: only the top one is metadata'.length)
  })

  it('refuses a link to an absolute path such as /etc/passwd, before streaming anything', () => {
    const dir = folderWith({ 'a.txt': '' })
    symlinkSync('/etc/passwd', join(dir, 'passwd'))
    expect(refusal(() => packTemplate(dir))).toBe(`Refused ${join(dir, 'passwd')}: it is a link to an absolute path (/etc/passwd).`)
  })

  it('refuses a link that climbs out of the template', () => {
    const dir = folderWith({ 'sub/a.txt': '' })
    symlinkSync('../../x', join(dir, 'sub', 'up'))
    expect(refusal(() => packTemplate(dir))).toMatch(/sub\/up: it is a link that points outside the template \(\.\.\/\.\.\/x\)/)
  })

  it('refuses links that each point inside but lead outside together, and loops', () => {
    const chain = folderWith({ 'sub/a.txt': '' })
    symlinkSync('..', join(chain, 'sub', 's')) // the top folder: inside
    symlinkSync('s/../x', join(chain, 'sub', 't')) // by its path sub/x; through s: the template's parent
    expect(refusal(() => packTemplate(chain))).toMatch(/sub\/t: it is a link that, through other links, leads outside the template or in a loop/)
    const loop = folderWith()
    symlinkSync('b', join(loop, 'a'))
    symlinkSync('a', join(loop, 'b'))
    expect(refusal(() => packTemplate(loop))).toMatch(/in a loop/)
  })

  it('keeps links that stay inside, also through other links', async () => {
    const dir = folderWith({ 'lib/deep/x.js': '' })
    symlinkSync('lib/deep', join(dir, 'd'))
    symlinkSync('d/../deep/x.js', join(dir, 'x.js'))
    expect((await readTar(packTemplate(dir).stream)).filter((e) => e.header.type === 'symlink').map((e) => e.header.name)).toEqual(['d', 'x.js'])
  })

  it('refuses a FIFO', () => {
    const dir = folderWith({ 'a.txt': '' })
    execFileSync('mkfifo', [join(dir, 'pipe')])
    expect(refusal(() => packTemplate(dir))).toBe(`Refused ${join(dir, 'pipe')}: it is a FIFO (named pipe).`)
  })

  it('refuses a hard link, which may tie a file to one outside the template', () => {
    const outside = folderWith({ 'id_rsa': 'private' })
    const dir = folderWith({ 'a.txt': '' })
    linkSync(join(outside, 'id_rsa'), join(dir, 'key'))
    expect(refusal(() => packTemplate(dir))).toBe(`Refused ${join(dir, 'key')}: it is a hard link; hard links are refused.`)
  })

  it('stops at too many entries or too many bytes, skipped folders not counted', () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, '12345']))
    const dir = folderWith({ ...files, 'node_modules/a': '', 'node_modules/b': '' })
    expect(refusal(() => packTemplate(dir, { maxEntries: 5, maxBytes: 1000 }))).toBe('The template has more than 5 files, folders and links.')
    expect(packTemplate(dir, { maxEntries: 6, maxBytes: 1000 }).files).toBe(6)
    expect(refusal(() => packTemplate(dir, { maxEntries: 100, maxBytes: 29 }))).toBe('The template is larger than 29 bytes.')
  })

  it('never reads a file swapped for a link after the walk', () => {
    const dir = folderWith({ 'config.json': '{}' })
    const { entries } = readTemplateTree(dir)
    rmSync(join(dir, 'config.json'))
    symlinkSync('/etc/passwd', join(dir, 'config.json'))
    expect(refusal(() => openChecked(join(dir, 'config.json'), entries[0]!.stats))).toMatch(/config.json: it is a link, and links are never followed/)
  })

  it('fails the stream as a Node stream when a file changed size after the walk', async () => {
    const dir = folderWith({ 'a.txt': 'short' })
    const packed = packTemplate(dir)
    writeFileSync(join(dir, 'a.txt'), 'much longer now')
    const upload = new Writable({ write: (_chunk, _encoding, done) => done() })
    await expect(pipeline(packed.stream, upload)).rejects.toThrow('Size mismatch')
    expect(upload.destroyed).toBe(true)
  })
})

describe('checking one archive entry', () => {
  const check = (header: ArchiveEntryHeader) => refusal(() => checkArchiveEntry(header))

  it('normalizes what it accepts; ./ is the top folder', () => {
    expect(checkArchiveEntry({ name: './src/./main.ts', type: 'file' })).toBe('src/main.ts')
    expect(checkArchiveEntry({ name: 'src/', type: 'directory' })).toBe('src')
    expect(checkArchiveEntry({ name: './', type: 'directory' })).toBe('')
    expect(checkArchiveEntry({ name: 'x/y', type: 'symlink', linkname: '../z/w' })).toBe('x/y')
  })

  it('refuses names that climb out with ..', () => {
    for (const name of ['../x', 'a/../../x', 'a/..', '..']) expect(check({ name, type: 'file' })).toBe(`Refused "${name}": it goes up a folder (..), outside the template.`)
  })

  it('refuses absolute names', () => {
    for (const name of ['/etc/passwd', 'C:/Windows/x', 'c:x']) expect(check({ name, type: 'file' })).toMatch(/is an absolute path/)
  })

  it('refuses hard links, devices, FIFOs and unknown types', () => {
    expect(check({ name: 'x', type: 'link', linkname: 'y' })).toMatch(/is a hard link/)
    expect(check({ name: 'x', type: 'character-device' })).toMatch(/is a device file/)
    expect(check({ name: 'x', type: 'block-device' })).toMatch(/is a device file/)
    expect(check({ name: 'x', type: 'fifo' })).toMatch(/is a FIFO/)
    expect(check({ name: 'x', type: 'contiguous-file' })).toMatch(/unsupported type \(contiguous-file\)/)
    expect(check({ name: 'x', type: null })).toMatch(/unsupported type \(unknown\)/)
  })

  it('refuses links out by their target', () => {
    expect(check({ name: 'passwd', type: 'symlink', linkname: '/etc/passwd' })).toBe('Refused "passwd": it is a link to an absolute path (/etc/passwd).')
    expect(check({ name: 'a/up', type: 'symlink', linkname: '../../x' })).toMatch(/points outside the template/)
    expect(check({ name: 'a/up', type: 'symlink', linkname: '' })).toMatch(/without a usable target/)
  })

  it('refuses NUL bytes and backslashes, and entries without a name or naming the top folder', () => {
    expect(check({ name: 'a\0b', type: 'file' })).toMatch(/NUL byte or a backslash/)
    expect(check({ name: '..\\..\\x', type: 'file' })).toMatch(/NUL byte or a backslash/)
    expect(check({ name: '', type: 'file' })).toMatch(/has no name/)
    expect(check({ name: './', type: 'symlink', linkname: 'x' })).toMatch(/names the top folder itself/)
  })
})

describe('sanitizing an untrusted archive', () => {
  it('re-owns entries as node, drops special bits, extended attributes and the top folder, and puts links last', async () => {
    const tar = craftTar([
      { name: './', type: 'directory', mode: 0o755, uid: 0 },
      { name: './link', type: 'symlink', linkname: 'bin/tool' },
      { name: './bin/', type: 'directory', mode: 0o1777, uid: 0 },
      { name: './bin/tool', mode: 0o4755, uid: 0, gid: 0, body: 'payload', pax: { 'SCHILY.xattr.security.capability': 'cap' } }
    ])
    const entries = await readTar(sanitizeArchive(tar))
    expect(entries.map((e) => [e.header.name, e.header.type, e.header.mode])).toEqual([
      ['bin', 'directory', 0o777],
      ['bin/tool', 'file', 0o755],
      ['link', 'symlink', 0o777]
    ])
    for (const { header } of entries) {
      expect(header).toMatchObject({ uid: APP_UID, gid: APP_UID, uname: 'node', gname: 'node' })
      expect(header.pax ?? {}).toEqual({})
    }
    expect(entries[1]?.body).toBe('payload')
  })

  it('fails on the first bad entry, naming it', async () => {
    await expect(readTar(sanitizeArchive(craftTar([{ name: 'ok.txt' }, { name: '../escape.txt' }])))).rejects.toThrow(
      'Refused "../escape.txt": it goes up a folder (..), outside the template.'
    )
    await expect(readTar(sanitizeArchive(craftTar([{ name: 'dev', type: 'character-device', devmajor: 1, devminor: 3 }])))).rejects.toThrow(/device file/)
    await expect(readTar(sanitizeArchive(craftTar([{ name: 'x', type: 'link', linkname: 'y' }])))).rejects.toThrow(/hard link/)
  })

  it('refuses entries written through a link, and a link that takes the name of another entry', async () => {
    const through = craftTar([{ name: 'etc', type: 'symlink', linkname: 'real' }, { name: 'etc/passwd', body: 'root::0:0' }])
    await expect(readTar(sanitizeArchive(through))).rejects.toThrow('Refused "etc/passwd": it is inside the link etc.')
    const shadow = craftTar([{ name: 'src/a.ts' }, { name: 'src', type: 'symlink', linkname: 'lib' }])
    await expect(readTar(sanitizeArchive(shadow))).rejects.toThrow('Refused "src": it shares its name with another entry, and one of them is a link.')
  })

  it('checks links against links that come later in the archive', async () => {
    const tar = craftTar([
      { name: 'sub/', type: 'directory' },
      { name: 'sub/t', type: 'symlink', linkname: 's/../x' },
      { name: 'sub/s', type: 'symlink', linkname: '..' }
    ])
    await expect(readTar(sanitizeArchive(tar))).rejects.toThrow(/"sub\/t": it is a link that, through other links, leads outside/)
  })

  it('stops at the limits', async () => {
    const many = craftTar(Array.from({ length: 4 }, (_, i) => ({ name: `f${i}` })))
    await expect(readTar(sanitizeArchive(many, { maxEntries: 3, maxBytes: 100 }))).rejects.toThrow('The archive has more than 3 files, folders and links.')
    const big = craftTar([{ name: 'big', body: 'x'.repeat(101) }])
    await expect(readTar(sanitizeArchive(big, { maxEntries: 3, maxBytes: 100 }))).rejects.toThrow('The archive is larger than 100 bytes.')
  })

  it('passes on the failure of its source', async () => {
    const chunks: Buffer[] = []
    for await (const chunk of craftTar([{ name: 'a', body: 'x'.repeat(2000) }]) as AsyncIterable<Buffer>) chunks.push(chunk)
    async function* failingDisk() {
      yield Buffer.concat(chunks).subarray(0, 1024)
      throw new Error('disk read failed')
    }
    await expect(readTar(sanitizeArchive(Readable.from(failingDisk())))).rejects.toThrow('disk read failed')
  })
})

describe('the walk itself', () => {
  it('reports what it found, without following a link into a folder', () => {
    const dir = folderWith({ 'lib/a.js': 'aa', 'b.js': 'b' })
    symlinkSync('lib', join(dir, 'alias'))
    mkdirSync(join(dir, 'empty'))
    const tree = readTemplateTree(dir)
    expect(tree.entries.map((e) => e.name)).toEqual(['alias', 'b.js', 'empty', 'lib', 'lib/a.js'])
    expect([tree.files, tree.bytes]).toEqual([2, 3])
    expect(lstatSync(join(dir, 'alias')).isSymbolicLink()).toBe(true)
  })
})
