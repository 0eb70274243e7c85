import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { extract, pack } from 'tar-stream'
import { describe, expect, it } from 'vitest'
import { teeInstallInputs } from './install-inputs'

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

describe('teeInstallInputs', () => {
  it('passes the whole archive on and reads the top-level install inputs from it', async () => {
    const source = tar([
      { name: './', type: 'directory' },
      { name: './package.json', content: '{"name":"a"}' },
      { name: 'package-lock.json', content: '{"lockfileVersion":3}' },
      { name: 'src/package.json', content: 'nested: not an input' },
      { name: '.npmrc', type: 'symlink', linkname: 'elsewhere' },
      { name: 'index.js', content: 'x'.repeat(100_000) }
    ])
    const { archive, inputs } = teeInstallInputs(source)
    expect(await names(archive)).toEqual(['./', './package.json', 'package-lock.json', 'src/package.json', '.npmrc', 'index.js'])
    const found = await inputs
    expect([...found.keys()].sort()).toEqual(['package-lock.json', 'package.json'])
    expect(found.get('package.json')?.toString()).toBe('{"name":"a"}')
  })

  it('fails the upload stream when the template cannot be packed', async () => {
    const source = new Readable({ read() {} })
    const { archive } = teeInstallInputs(source)
    const consumed = text(archive as Readable)
    source.destroy(new Error('a file vanished'))
    await expect(consumed).rejects.toThrow('a file vanished')
  })
})
