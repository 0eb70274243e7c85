import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { extract, pack } from 'tar-stream'
import { describe, expect, it } from 'vitest'
import { teeTemplateArchive } from './install-inputs'

function tar(entries: { name: string; content?: string; type?: 'file' | 'directory' | 'symlink'; linkname?: string }[]): NodeJS.ReadableStream {
  const archive = pack()
  for (const e of entries) {
    if (e.type === 'directory' || e.type === 'symlink') archive.entry({ name: e.name, type: e.type, ...(e.linkname ? { linkname: e.linkname } : {}) })
    else archive.entry({ name: e.name }, e.content ?? '')
  }
  archive.finalize()
  return Readable.from(archive, { objectMode: false })
}

async function names(archive: NodeJS.ReadableStream): Promise<string[]> {
  const found: string[] = []
  const reader = extract()
  reader.on('entry', (header, stream, next) => {
    found.push(header.name)
    stream.on('end', next).resume()
  })
  archive.pipe(reader)
  await new Promise<void>((resolve) => reader.on('finish', () => resolve()))
  return found
}

describe('teeTemplateArchive', () => {
  it('passes the whole archive on, reads the top-level install inputs from it, and digests it', async () => {
    const source = tar([
      { name: './', type: 'directory' },
      { name: './package.json', content: '{"name":"a"}' },
      { name: 'package-lock.json', content: '{"lockfileVersion":3}' },
      { name: 'src/package.json', content: 'nested: not an input' },
      { name: '.npmrc', type: 'symlink', linkname: 'elsewhere' },
      { name: 'index.js', content: 'x'.repeat(100_000) }
    ])
    const { archive, inputs, digest } = teeTemplateArchive(source)
    const passed: Buffer[] = []
    archive.on('data', (chunk: Buffer) => passed.push(chunk))
    expect(await names(Readable.from(await new Promise<Buffer[]>((resolve) => archive.on('end', () => resolve(passed)))))).toEqual([
      './',
      './package.json',
      'package-lock.json',
      'src/package.json',
      '.npmrc',
      'index.js'
    ])
    const found = await inputs
    expect([...found.keys()].sort()).toEqual(['.npmrc', 'package-lock.json', 'package.json'])
    expect(found.get('package.json')?.toString()).toBe('{"name":"a"}')
    // A link where an input should be is not read through: it rules sharing out.
    expect(found.get('.npmrc')).toBeNull()
    expect(await digest).toBe(createHash('sha256').update(Buffer.concat(passed)).digest('hex'))
  })

  it('fails the upload stream when the template cannot be packed', async () => {
    const source = new Readable({ read() {} })
    const { archive } = teeTemplateArchive(source)
    const consumed = text(archive as Readable)
    source.destroy(new Error('a file vanished'))
    await expect(consumed).rejects.toThrow('a file vanished')
  })
})
