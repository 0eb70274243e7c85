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

/** Opens the URL in the default browser; a failure is reported, never fatal (the URL is printed anyway). */
export function openInBrowser(url: string, report: (problem: string) => void): void {
  const { command, args } = browserLaunchCommand(process.platform, url)
  const child = spawn(command, args, { stdio: 'ignore', detached: true })
  child.once('error', (err) => report(`Could not open a browser (${command}: ${err.message}); open the URL above yourself.`))
  child.unref()
}
