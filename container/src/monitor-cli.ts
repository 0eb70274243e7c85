import { runCli } from './cli'

// monitor-cli: the control client inside the container (docker exec … monitor-cli process status).
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code
  },
  (error: Error) => {
    process.stderr.write(`monitor-cli: ${error.stack ?? error.message}\n`)
    process.exitCode = 1
  }
)
