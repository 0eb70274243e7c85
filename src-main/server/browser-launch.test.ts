import { describe, expect, it } from 'vitest'
import { browserLaunchCommand, openInBrowser } from './browser-launch'

describe('browser launch', () => {
  const url = 'http://127.0.0.1:7373/?token=abc&x=1'

  it('passes the URL as one argument on every platform', () => {
    expect(browserLaunchCommand('linux', url)).toEqual({ command: 'xdg-open', args: [url] })
    expect(browserLaunchCommand('darwin', url)).toEqual({ command: 'open', args: [url] })
    expect(browserLaunchCommand('win32', url)).toEqual({ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] })
  })

  it('says when no browser could be opened, with the URL to open by hand', async () => {
    const problems: string[] = []
    const said = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20)).then(() => (problems.length > 0 ? undefined : said()))
    openInBrowser(url, (problem) => problems.push(problem), { command: 'sandlot-no-such-launcher', args: [url] })
    await said()
    expect(problems).toEqual([`No browser could be opened (sandlot-no-such-launcher: spawn sandlot-no-such-launcher ENOENT). Open this URL yourself:\n    ${url}`])
    problems.length = 0
    // xdg-open without a browser: the launcher runs and exits non-zero.
    openInBrowser(url, (problem) => problems.push(problem), { command: process.execPath, args: ['-e', 'process.exit(3)'] })
    await said()
    expect(problems).toEqual([`No browser could be opened (${process.execPath} exited with code 3). Open this URL yourself:\n    ${url}`])
  })
})
