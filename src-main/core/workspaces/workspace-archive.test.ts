import { lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { pack } from 'tar-stream'
import { describe, expect, it } from 'vitest'
import { readSavedSettings, SAVED_MANIFEST, saveWorkspaceArchive, savedFiles } from './workspace-archive'

const manifest = { id: 'demo', name: 'Demo', start: 'node server.js', port: 3000 }

interface Entry {
  name: string
  type?: 'file' | 'directory'
  content?: string | Buffer
  /** A header size that differs from the content (a truncated or lying archive). */
  size?: number
}

/** A tar as the engine's archive API gives /app, or any crafted one. */
async function tarOf(entries: Entry[]): Promise<Buffer> {
  const tar = pack()
  const chunks: Buffer[] = []
  const done = (async () => {
    for await (const chunk of tar as unknown as AsyncIterable<Buffer>) chunks.push(chunk)
  })()
  for (const e of entries) {
    if (e.type === 'directory') tar.entry({ name: e.name, type: 'directory', mode: 0o755 })
    else tar.entry({ name: e.name, mode: 0o644 }, e.content ?? '')
  }
  tar.finalize()
  await done
  return Buffer.concat(chunks)
}

const appTar = async (): Promise<NodeJS.ReadableStream> =>
  Readable.from([await tarOf([{ name: 'app', type: 'directory' }, { name: 'app/server.js', content: 'console.log(1)\n' }])])

async function drain(stream: NodeJS.ReadableStream): Promise<number> {
  let bytes = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) bytes += chunk.length
  return bytes
}

describe('sandlot save: the file it writes', () => {
  it('does not write through a link planted at the old predictable temporary name (the attack), nor leave anything behind', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'sandlot-save-'))
    const outside = join(mkdtempSync(join(tmpdir(), 'sandlot-outside-')), 'victim.txt')
    writeFileSync(outside, 'precious\n')
    const file = join(shared, 'ws.tar.gz')
    // Before the fix the temporary file was `${file}.${pid}.partial`, opened without O_EXCL.
    symlinkSync(outside, `${file}.${process.pid}.partial`)
    await saveWorkspaceArchive(await appTar(), manifest, file)
    expect(readFileSync(outside, 'utf8')).toBe('precious\n')
    expect(lstatSync(file).isFile()).toBe(true)
    expect((await readSavedSettings(file)).template).toMatchObject({ id: 'demo' })
    expect(readdirSync(shared).sort()).toEqual(['ws.tar.gz', `ws.tar.gz.${process.pid}.partial`])
  })

  it('refuses a link at the target name without --replace, even a dangling one, and creates nothing through it', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'sandlot-save-'))
    const outside = join(mkdtempSync(join(tmpdir(), 'sandlot-outside-')), 'created-by-attacker-wish')
    const file = join(shared, 'ws.tar.gz')
    symlinkSync(outside, file)
    await expect(saveWorkspaceArchive(await appTar(), manifest, file)).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(() => lstatSync(outside)).toThrow(/ENOENT/)
    expect(lstatSync(file).isSymbolicLink()).toBe(true)
    expect(readdirSync(shared)).toEqual(['ws.tar.gz'])
  })

  it('with --replace, replaces a link at the target name instead of writing through it', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'sandlot-save-'))
    const outside = join(mkdtempSync(join(tmpdir(), 'sandlot-outside-')), 'victim.txt')
    writeFileSync(outside, 'precious\n')
    const file = join(shared, 'ws.tar.gz')
    symlinkSync(outside, file)
    await saveWorkspaceArchive(await appTar(), manifest, file, { replace: true })
    expect(readFileSync(outside, 'utf8')).toBe('precious\n')
    expect(lstatSync(file).isFile()).toBe(true)
    expect(lstatSync(file).mode & 0o777).toBe(0o600)
  })

  it('keeps the name of the workspace it was saved from, for a restore without a name', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-save-')), 'ws.tar.gz')
    await saveWorkspaceArchive(await appTar(), manifest, file, { name: 'web' })
    expect(await readSavedSettings(file)).toEqual({ template: expect.objectContaining({ id: 'demo' }), name: 'web' })
    const older = join(mkdtempSync(join(tmpdir(), 'sandlot-save-')), 'old.tar.gz')
    await saveWorkspaceArchive(await appTar(), manifest, older)
    expect((await readSavedSettings(older)).name).toBeUndefined()
  })
})

describe('sandlot restore: a crafted archive', () => {
  function archive(gz: Buffer): string {
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-restore-')), 'crafted.tar.gz')
    writeFileSync(file, gz)
    return file
  }
  const settings = JSON.stringify({ version: 1, template: manifest })

  it('refuses a second run settings entry (it used to be skipped unread and uncounted, whatever its size)', async () => {
    const file = archive(
      gzipSync(await tarOf([{ name: SAVED_MANIFEST, content: settings }, { name: 'server.js', content: 'x' }, { name: SAVED_MANIFEST, content: Buffer.alloc(4 * 1024 * 1024) }]))
    )
    expect((await readSavedSettings(file)).template).toMatchObject({ id: 'demo' })
    await expect(drain(savedFiles(file))).rejects.toThrow(/holds a second \.sandlot-workspace\.json/)
  })

  it('counts every decompressed byte against the limit, whatever the entry', async () => {
    // 3 MiB of zeros gzip to a few kilobytes; a limit of 1 MiB stops the decompression.
    const file = archive(gzipSync(await tarOf([{ name: SAVED_MANIFEST, content: settings }, { name: 'big.bin', content: Buffer.alloc(3 * 1024 * 1024) }])))
    await expect(drain(savedFiles(file, 1024 * 1024))).rejects.toThrow(/expands to more than 1 MiB/)
    // The same archive under the real limit goes through, so the refusal above is the limit's doing.
    expect(await drain(savedFiles(file))).toBeGreaterThan(3 * 1024 * 1024)
  })
})
