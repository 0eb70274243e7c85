import { randomBytes } from 'node:crypto'
import { constants, createReadStream, createWriteStream, linkSync, openSync, renameSync, rmSync, type ReadStream } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { extract, pack, type Extract } from 'tar-stream'
import { z } from 'zod'
import { TemplateManifest } from '../contract/template'
import { WorkspaceName } from '../contract/workspace'
import { SandlotError } from '../sandlot-error'
import { checkArchiveEntry, DEFAULT_TREE_LIMITS, writeEntry } from '../templates/template-archive'

/** The run settings travel with the files, as the archive's first entry, so a restore needs nothing else. */
export const SAVED_MANIFEST = '.sandlot-workspace.json'
/** `name`: the workspace it was saved from, which a restore without a name takes again when it is free. */
const SavedManifest = z.object({ version: z.literal(1), template: TemplateManifest, name: WorkspaceName.optional() })

const MAX_MANIFEST_BYTES = 256 * 1024

/** Folders a save leaves out: dependencies are reinstalled from the lockfile on restore. */
const LEFT_OUT = /(^|\/)node_modules(\/|$)/

/**
 * `sandlot save`: /app as a gzipped tar, without node_modules, its template's run settings first. Written to a
 * temporary file and put in place at the end, so a failed save never leaves a truncated archive under the
 * user's name. The folder may be shared (/tmp): the temporary name is unpredictable and created exclusively
 * (a link planted there fails the open instead of redirecting the write), and it is put in place by a hard
 * link that fails if the name exists (without `replace`) or by a rename, neither of which follows a link at
 * the target name: a planted link is refused or replaced, never written through.
 */
export async function saveWorkspaceArchive(
  appTar: NodeJS.ReadableStream,
  manifest: TemplateManifest,
  file: string,
  options: { replace?: boolean; name?: string } = {}
): Promise<{ files: number; bytes: number }> {
  const input = extract()
  const output = pack()
  const counts = { files: 0, bytes: 0 }
  output.entry({ name: SAVED_MANIFEST, mode: 0o644 }, JSON.stringify({ version: 1, template: manifest, ...(options.name === undefined ? {} : { name: options.name }) }, null, 2))
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
  // Its failure is reported through Promise.all below; if the target cannot even be opened, it has no reader.
  copying.catch(() => undefined)
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(12).toString('hex')}.partial`)
  let created = false
  try {
    const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600)
    created = true
    const target = createWriteStream('', { fd })
    await Promise.all([
      pipeline(appTar, input as unknown as NodeJS.WritableStream),
      copying,
      pipeline(output as unknown as NodeJS.ReadableStream, createGzip(), target)
    ])
    putInPlace(temporary, file, options.replace === true)
  } catch (err) {
    // Only a file this call created is removed: whatever else sits at that name is not ours.
    if (created) rmSync(temporary, { force: true })
    // Nothing more is read: the engine's response and the tar streams are closed.
    ;(appTar as { destroy?: () => void }).destroy?.()
    input.destroy()
    output.destroy()
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && created) {
      throw new SandlotError('CONFLICT', `${file} exists.`, 'Pick another file name, or replace it with `--replace`.', { cause: err })
    }
    if (err instanceof SandlotError) {
      throw new SandlotError('BAD_REQUEST', `Nothing was saved: /app holds what a restore would refuse. ${err.message}`, 'Remove or replace that entry (for example copy the file instead of linking it), then save again.', { cause: err })
    }
    throw new SandlotError('BAD_REQUEST', `Could not save to ${file}: ${(err as Error).message}`, 'Check the folder exists, is writable, and has space.', { cause: err })
  }
  if (created) rmSync(temporary, { force: true })
  return counts
}

/** Filesystems without hard links (FAT, some network shares) say so with one of these. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'])

function putInPlace(temporary: string, file: string, replace: boolean): void {
  if (replace) return renameSync(temporary, file)
  try {
    // Fails with EEXIST when anything (a file, a link, a dangling link) holds the name, without following it.
    linkSync(temporary, file)
  } catch (err) {
    if (!NO_HARD_LINKS.has((err as NodeJS.ErrnoException).code ?? '')) throw err
    renameSync(temporary, file)
  }
}

/**
 * How far a saved archive may expand: file contents up to the tree limit, headers and padding (long-name pax
 * headers included) for every entry, and the run settings. Counted on the decompressed bytes themselves, so no
 * entry, whatever its type or name, is read without counting (a small gzip can otherwise expand to gigabytes).
 */
export const MAX_ARCHIVE_BYTES = DEFAULT_TREE_LIMITS.maxBytes + DEFAULT_TREE_LIMITS.maxEntries * 2048 + MAX_MANIFEST_BYTES + 1024 * 1024

/** The tar entries of a saved archive, decompression stopped with an error past `maxBytes`. */
function openSavedArchive(file: string, maxBytes: number): { input: Extract; source: ReadStream } {
  const input = extract()
  const source = createReadStream(file)
  let total = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length
      if (total <= maxBytes) return done(null, chunk)
      done(new SandlotError('BAD_REQUEST', `${file} expands to more than ${Math.round(maxBytes / 1024 / 1024)} MiB: refused.`, 'A saved workspace is at most the size of a template; give a file written by `sandlot save`.'))
    }
  })
  const gunzip = createGunzip()
  const fail = (err: Error): void => {
    input.destroy(err)
    source.destroy()
    gunzip.destroy()
  }
  source.on('error', fail)
  gunzip.on('error', fail)
  counter.on('error', fail)
  source.pipe(gunzip).pipe(counter).pipe(input as unknown as NodeJS.WritableStream)
  return { input, source }
}

/** Run settings are a few kilobytes: a larger entry is refused before it is read into memory. */
function refuseOversizedSettings(file: string, size: number | undefined): void {
  if ((size ?? 0) > MAX_MANIFEST_BYTES) throw new SandlotError('BAD_REQUEST', `${file} holds oversized run settings (${size} bytes).`, 'Give a file written by `sandlot save`.')
}

/** The run settings (read from the archive's first entry, without reading the rest) and the name of the workspace it was saved from (archives before names were kept have none). */
export async function readSavedSettings(file: string): Promise<{ template: TemplateManifest; name?: string }> {
  const { input, source } = openSavedArchive(file, MAX_ARCHIVE_BYTES)
  try {
    for await (const entry of input) {
      if (entry.header.name !== SAVED_MANIFEST) break
      refuseOversizedSettings(file, entry.header.size)
      const chunks: Buffer[] = []
      for await (const chunk of entry) chunks.push(chunk as Buffer)
      const parsed = SavedManifest.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      if (parsed.success) return parsed.data.name === undefined ? { template: parsed.data.template } : { template: parsed.data.template, name: parsed.data.name }
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

/**
 * The saved files as a tar, without the run settings entry; the caller checks every entry (sanitizeArchive).
 * The run settings come first and once: a second copy (which nothing would read or count) is refused.
 */
export function savedFiles(file: string, maxBytes = MAX_ARCHIVE_BYTES): NodeJS.ReadableStream {
  const { input, source } = openSavedArchive(file, maxBytes)
  const output = pack()
  void (async () => {
    let first = true
    for await (const entry of input) {
      if (entry.header.name === SAVED_MANIFEST) {
        if (!first) throw new SandlotError('BAD_REQUEST', `${file} holds a second ${SAVED_MANIFEST}: refused.`, 'Give a file written by `sandlot save` (it holds one, first).')
        refuseOversizedSettings(file, entry.header.size)
        first = false
        entry.resume()
        continue
      }
      first = false
      await writeEntry(output, entry.header, entry)
    }
    output.finalize()
  })().catch((err: Error) => {
    output.destroy(err)
    input.destroy()
    source.destroy()
  })
  return Readable.from(output as unknown as AsyncIterable<Buffer>)
}
