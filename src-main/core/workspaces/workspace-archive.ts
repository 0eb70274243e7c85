import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { extract, pack } from 'tar-stream'
import { z } from 'zod'
import { TemplateManifest } from '../contract/template'
import { SandlotError } from '../sandlot-error'
import { checkArchiveEntry, writeEntry } from '../templates/template-archive'

/** The run settings travel with the files, as the archive's first entry, so a restore needs nothing else. */
export const SAVED_MANIFEST = '.sandlot-workspace.json'
const SavedManifest = z.object({ version: z.literal(1), template: TemplateManifest })

const MAX_MANIFEST_BYTES = 256 * 1024

/** Folders a save leaves out: dependencies are reinstalled from the lockfile on restore. */
const LEFT_OUT = /(^|\/)node_modules(\/|$)/

/**
 * `sandlot save`: /app as a gzipped tar, without node_modules, its template's run settings first. Written to a
 * temporary file and renamed, so a failed save never leaves a truncated archive under the user's name.
 */
export async function saveWorkspaceArchive(appTar: NodeJS.ReadableStream, manifest: TemplateManifest, file: string): Promise<{ files: number; bytes: number }> {
  const input = extract()
  const output = pack()
  const counts = { files: 0, bytes: 0 }
  output.entry({ name: SAVED_MANIFEST, mode: 0o644 }, JSON.stringify({ version: 1, template: manifest }, null, 2))
  const copying = (async () => {
    for await (const entry of input) {
      // The engine names entries after the folder asked for: "app", "app/src/main.ts"…
      const name = entry.header.name.replace(/^\.?\/?app\/?/, '')
      if (name === '' || LEFT_OUT.test(name)) {
        entry.resume()
        continue
      }
      // What `restore` would refuse (hard links, devices, links out of /app) is refused now, while the
      // workspace still exists, not discovered when the user needs the archive.
      checkArchiveEntry({ ...entry.header, name })
      if (entry.header.type === 'file') {
        counts.files++
        counts.bytes += entry.header.size ?? 0
      }
      await writeEntry(output, { ...entry.header, name }, entry)
    }
    output.finalize()
  })()
  const temporary = `${file}.${process.pid}.partial`
  try {
    await Promise.all([
      pipeline(appTar, input as unknown as NodeJS.WritableStream),
      copying,
      pipeline(output as unknown as NodeJS.ReadableStream, createGzip(), createWriteStream(temporary, { mode: 0o600 }))
    ])
    renameSync(temporary, file)
  } catch (err) {
    rmSync(temporary, { force: true })
    // Nothing more is read: the engine's response and the tar streams are closed.
    ;(appTar as { destroy?: () => void }).destroy?.()
    input.destroy()
    output.destroy()
    if (err instanceof SandlotError) {
      throw new SandlotError('BAD_REQUEST', `Nothing was saved: /app holds what a restore would refuse. ${err.message}`, 'Remove or replace that entry (for example copy the file instead of linking it), then save again.', { cause: err })
    }
    throw new SandlotError('BAD_REQUEST', `Could not save to ${file}: ${(err as Error).message}`, 'Check the folder exists, is writable, and has space.', { cause: err })
  }
  return counts
}

/** Reads the run settings from a saved archive (its first entry) without reading the rest. */
export async function readSavedManifest(file: string): Promise<TemplateManifest> {
  const input = extract()
  const source = createReadStream(file)
  source.on('error', (err) => input.destroy(err))
  source.pipe(createGunzip()).on('error', (err) => input.destroy(err)).pipe(input as unknown as NodeJS.WritableStream)
  try {
    for await (const entry of input) {
      if (entry.header.name !== SAVED_MANIFEST) break
      // Run settings are a few kilobytes: a larger entry is not read into memory.
      if ((entry.header.size ?? 0) > MAX_MANIFEST_BYTES) throw new SandlotError('BAD_REQUEST', `${file} holds oversized run settings (${entry.header.size} bytes).`)
      const chunks: Buffer[] = []
      for await (const chunk of entry) chunks.push(chunk as Buffer)
      const parsed = SavedManifest.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      if (parsed.success) return parsed.data.template
      throw new SandlotError('BAD_REQUEST', `${file} holds invalid run settings: ${z.prettifyError(parsed.error)}`)
    }
  } catch (err) {
    if (err instanceof SandlotError) throw err
    throw new SandlotError('BAD_REQUEST', `${file} is not a readable Sandlot archive: ${(err as Error).message}`, 'Give a file written by `sandlot save`.', { cause: err })
  } finally {
    source.destroy()
    input.destroy()
  }
  throw new SandlotError('BAD_REQUEST', `${file} was not written by \`sandlot save\`: it does not start with ${SAVED_MANIFEST}.`, 'Give a file written by `sandlot save`.')
}

/** The saved files as a tar, without the run settings entry; the caller checks every entry (sanitizeArchive). */
export function savedFiles(file: string): NodeJS.ReadableStream {
  const input = extract()
  const output = pack()
  const source = createReadStream(file)
  source.on('error', (err) => input.destroy(err))
  source.pipe(createGunzip()).on('error', (err) => input.destroy(err)).pipe(input as unknown as NodeJS.WritableStream)
  void (async () => {
    for await (const entry of input) {
      if (entry.header.name === SAVED_MANIFEST) {
        entry.resume()
        continue
      }
      await writeEntry(output, entry.header, entry)
    }
    output.finalize()
  })().catch((err: Error) => output.destroy(err))
  return Readable.from(output as unknown as AsyncIterable<Buffer>)
}
