import type { SandlotCore } from '../core/sandlot-core'
import { processLog } from '../core/data/process-log'
import { settingsProblemText } from '../core/settings/setting-keys'
import type { CliIo } from './cli-io'
import type { OutputMode } from './output'

/** What every command gets: the output mode, and the core, opened on first use and closed after the command. */
export class CliContext implements OutputMode {
  readonly io: CliIo
  json = false
  exitCode = 0
  #core: SandlotCore | undefined
  /** Long-lived commands (`serve`) also keep what they report in `logs/<keepLog>.log` of the data folder. */
  keepLog: string | undefined
  #log: { write: (message: string) => void } | undefined

  constructor(io: CliIo) {
    this.io = io
  }

  /** Loaded on first use: `--help`, `--version` and usage errors never pay for Docker and SQLite modules. */
  async core(): Promise<SandlotCore> {
    if (this.#core === undefined) {
      const [{ openSandlotCore }, { packagedCliBinding }] = await Promise.all([import('../core/sandlot-core'), import('../core/store/native-binding')])
      this.#core ??= openSandlotCore({
        env: this.io.env,
        nativeBinding: packagedCliBinding(),
        onBackgroundProblem: (message) => this.#report(message)
      })
      if (this.keepLog !== undefined) this.#log = processLog(this.#core.paths.logs, this.keepLog)
      // Said on every command that reads them: a setting that does not apply must never go unnoticed.
      const { problems, file } = this.#core.settings()
      for (const p of problems) this.#report(`Warning: ${file}: ${settingsProblemText(p)}`)
    }
    return this.#core
  }

  /** A problem the command noticed on its own (not its result): on stderr, and in the log when kept. */
  #report(message: string): void {
    this.io.stderr(`${message}\n`)
    this.#log?.write(message)
  }

  /** Lets background work this command started finish first (a dependency snapshot after a create). */
  async close(): Promise<void> {
    const core = this.#core
    this.#core = undefined
    if (!core) return
    try {
      if (core.snapshots.pending > 0) {
        this.io.stderr('Keeping the installed dependencies, so the next workspace of this template copies them instead of installing…\n')
        await core.snapshots.idle()
      }
    } finally {
      core.close()
    }
  }
}
