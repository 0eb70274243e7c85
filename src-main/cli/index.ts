import { processIo } from './cli-io'
import { runCli } from './program'

declare const __SANDLOT_VERSION__: string

// The `sandlot` executable: process adapter around runCli.
process.exitCode = await runCli(process.argv.slice(2), processIo(), __SANDLOT_VERSION__)
