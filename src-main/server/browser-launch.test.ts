import { describe, expect, it } from 'vitest'
import { browserLaunchCommand } from './browser-launch'

describe('browser launch', () => {
  const url = 'http://127.0.0.1:7373/?token=abc&x=1'

  it('passes the URL as one argument on every platform', () => {
    expect(browserLaunchCommand('linux', url)).toEqual({ command: 'xdg-open', args: [url] })
    expect(browserLaunchCommand('darwin', url)).toEqual({ command: 'open', args: [url] })
    expect(browserLaunchCommand('win32', url)).toEqual({ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] })
  })
})
