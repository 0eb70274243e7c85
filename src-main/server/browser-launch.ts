import { spawn } from 'node:child_process'

export interface LaunchCommand {
  command: string
  args: string[]
}

/**
 * The platform's "open this URL" command. On Windows rundll32 takes the URL as one argument, where
 * `cmd /c start` would re-parse it (an `&` in a URL would end the command).
 */
export function browserLaunchCommand(platform: NodeJS.Platform, url: string): LaunchCommand {
  if (platform === 'darwin') return { command: 'open', args: [url] }
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] }
  return { command: 'xdg-open', args: [url] }
}

/**
 * Opens the URL in the default browser; a failure is reported with the URL to open by hand, never fatal. The
 * launcher missing and the launcher finding no browser (xdg-open on a machine without one exits non-zero) both
 * count. `launch` is the platform's command (tests give their own).
 */
export function openInBrowser(url: string, report: (problem: string) => void, launch: LaunchCommand = browserLaunchCommand(process.platform, url)): void {
  const { command, args } = launch
  const said = (why: string): void => report(`No browser could be opened (${why}). Open this URL yourself:\n    ${url}`)
  const child = spawn(command, args, { stdio: 'ignore', detached: true })
  child.once('error', (err) => said(`${command}: ${err.message}`))
  child.once('exit', (code, signal) => {
    if (code !== 0 && code !== null) said(`${command} exited with code ${code}`)
    else if (signal !== null) said(`${command} was ended by ${signal}`)
  })
  child.unref()
}
