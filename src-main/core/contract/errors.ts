import { z } from 'zod'

/** Stable machine-readable error codes: the CLI's `--json` error document, IPC and the API all carry them. */
export const ErrorCode = z.enum([
  'ENGINE_UNREACHABLE',
  'BAD_REQUEST',
  'BAD_USAGE',
  'NOT_FOUND',
  'CONFLICT',
  'DATA_FOLDER',
  'DATABASE',
  'IMAGE_MISSING',
  'IMAGE_BUILD_FAILED',
  'INSTALL_FAILED',
  'APP_FAILED',
  'PORT_IN_USE',
  'DISK_FULL',
  /** A long operation ended with the process doing it (a crash, Ctrl+C, a reboot). */
  'INTERRUPTED',
  /** A command ran out of the time it was given and was stopped. */
  'TIMEOUT',
  /** A repository refused the credentials git had (or git had none to give). */
  'AUTH_FAILED',
  /** A repository's host could not be reached (name, network, refused connection). */
  'HOST_UNREACHABLE',
  /** git failed for another reason; its own words are in the message. */
  'GIT_FAILED',
  /** The editor command is not installed, does not run, or lacks its Dev Containers extension: the message says which. */
  'EDITOR_MISSING',
  'INTERNAL'
])
export type ErrorCode = z.infer<typeof ErrorCode>

export const ErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
  hint: z.string().optional()
})
export type ErrorInfo = z.infer<typeof ErrorInfo>

/** The `--json` error document: stdout holds exactly this when a command fails. */
export const ErrorDocument = z.object({ error: ErrorInfo })
export type ErrorDocument = z.infer<typeof ErrorDocument>
