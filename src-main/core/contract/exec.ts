import { z } from 'zod'
import { WorkspaceName } from './workspace'

/** How much of each output stream a captured exec keeps (its start); more is cut and said to be. */
export const EXEC_OUTPUT_CAP = 1024 * 1024
/** Standard input given with the call, as text. */
export const EXEC_STDIN_CAP = 1024 * 1024

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name is letters, digits and _, not starting with a digit')

export const ExecParams = z
  .object({
    name: WorkspaceName,
    /** The program, found on the workspace's PATH; no shell: give `bash` with `-c` for one. */
    command: z.string().min(1).max(4096).regex(/^[^-]/, 'a command cannot start with "-"'),
    args: z.array(z.string().max(65_536)).max(1000).optional(),
    /** Added to the template's own environment (and override it). */
    env: z.record(EnvName, z.string().max(65_536)).optional(),
    /** The working folder: inside /app (relative paths are from /app). */
    cwd: z.string().min(1).max(4096).optional(),
    /** The command is stopped (TERM, then KILL 5 s later) after this long. */
    timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
    stdin: z.string().max(EXEC_STDIN_CAP, `at most ${EXEC_STDIN_CAP} characters of standard input`).optional()
  })
  .strict()
export type ExecParams = z.infer<typeof ExecParams>

export const ExecResult = z.object({
  exitCode: z.number().int(),
  /** Decoded as UTF-8; only the first EXEC_OUTPUT_CAP bytes of each. */
  stdout: z.string(),
  stderr: z.string(),
  stdoutTruncated: z.boolean(),
  stderrTruncated: z.boolean(),
  /** The command ran out of time and was stopped. */
  timedOut: z.boolean()
})
export type ExecResult = z.infer<typeof ExecResult>

export const execMethods = {
  /** A command in a workspace as `node`, its output captured (each stream capped): for scripts and agents. */
  'workspaces.exec': { params: ExecParams, result: ExecResult },
  /**
   * The same command with its output streamed as it comes (`stream.data` with `channel` stdout or stderr, UTF-8
   * decoded across chunk borders, nothing capped), then `stream.end` with its exit code (and TIMEOUT when it ran
   * out of time). Closing the stream stops the output, not the command: its timeout bounds it.
   */
  'workspaces.execStream': { params: ExecParams, result: z.object({ stream: z.string() }) }
} as const
