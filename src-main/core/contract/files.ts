import { z } from 'zod'
import { WorkspaceName } from './workspace'

/** The largest file read or written through the API in one call (uploads as tar come later). */
export const FILE_CAP = 4 * 1024 * 1024

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
  }
} as const
