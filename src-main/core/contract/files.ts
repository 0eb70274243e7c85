import { z } from 'zod'
import { WorkspaceName } from './workspace'

/** The largest file read or written through the API in one call (larger ones go as tar archives). */
export const FILE_CAP = 4 * 1024 * 1024
/** The largest tar archive uploaded or downloaded at once: a template's size (200 MiB of files) with the tar's own headers. */
export const ARCHIVE_CAP = 256 * 1024 * 1024

/** A path in a workspace: relative to /app, or absolute inside it; checked again in the container (links included). */
const AppPath = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'a path cannot contain a NUL character')

export const FileEntry = z.object({
  name: z.string(),
  /** The path inside the workspace, absolute (/app/…). */
  path: z.string(),
  type: z.enum(['file', 'dir', 'link', 'other']),
  size: z.number().int().min(0),
  modified: z.string()
})
export type FileEntry = z.infer<typeof FileEntry>

const Encoding = z.enum(['utf8', 'base64'])

export const fileMethods = {
  /** A folder's entries (links are listed as links, not followed). */
  'files.list': { params: z.object({ name: WorkspaceName, path: AppPath.optional() }).strict(), result: z.array(FileEntry) },
  /** A file's content, as text (utf8) or bytes (base64); at most FILE_CAP bytes. */
  'files.read': {
    params: z.object({ name: WorkspaceName, path: AppPath, encoding: Encoding.optional() }).strict(),
    result: z.object({ path: z.string(), content: z.string(), encoding: Encoding, size: z.number().int() })
  },
  /** Writes a file as node (created or replaced; missing parent folders are made). */
  'files.write': {
    params: z
      .object({ name: WorkspaceName, path: AppPath, content: z.string().max(Math.ceil((FILE_CAP * 4) / 3) + 4), encoding: Encoding.optional() })
      .strict(),
    result: z.object({ path: z.string(), size: z.number().int() })
  },
  /** One entry, the path itself (a link is described, not followed). */
  'files.stat': { params: z.object({ name: WorkspaceName, path: AppPath }).strict(), result: FileEntry },
  /** Makes a folder and its missing parents (an existing one is fine). */
  'files.mkdir': { params: z.object({ name: WorkspaceName, path: AppPath }).strict(), result: z.object({ path: z.string() }) },
  /** Moves or renames an entry (a link itself, not what it points to); the destination must not exist. */
  'files.move': { params: z.object({ name: WorkspaceName, from: AppPath, to: AppPath }).strict(), result: z.object({ from: z.string(), to: z.string() }) },
  /** Removes a file, link or empty folder; a folder with entries only with `recursive`. /app itself never. */
  'files.remove': {
    params: z.object({ name: WorkspaceName, path: AppPath, recursive: z.boolean().optional() }).strict(),
    result: z.object({ path: z.string(), removed: z.literal(true) })
  },
  /**
   * Extracts a tar (a file on this machine: the API's upload) into a folder of /app as `node`, made if missing.
   * Every entry is checked first, as templates are: nothing outside the folder, no links out, no devices or hard
   * links, at most 20,000 entries and 200 MiB; nothing is extracted if one is refused.
   */
  'files.upload': {
    params: z.object({ name: WorkspaceName, path: AppPath.optional(), file: z.string().min(1).max(4096) }).strict(),
    result: z.object({ path: z.string(), bytes: z.number().int() })
  },
  /** A file or folder of /app as a tar written to a file on this machine (the API's download), read as `node`; at most ARCHIVE_CAP bytes. */
  'files.download': {
    params: z.object({ name: WorkspaceName, path: AppPath.optional(), file: z.string().min(1).max(4096) }).strict(),
    result: z.object({ path: z.string(), bytes: z.number().int() })
  }
} as const
