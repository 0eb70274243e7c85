import { createRequire } from 'node:module'
import { dirname } from 'node:path'

/** Set once per process: the module is shared, so every later connection already refuses redirects. */
let refused = false

/**
 * docker-modem follows HTTP redirects from the engine to wherever they point, with a request that has no
 * error listener: a redirect (which the engine answers to a path such as `/images/../x/json`) made Sandlot
 * call an address of the caller's choosing, and a failed lookup there was thrown as an uncaught exception that
 * ended `sandlot serve`. The Engine API never redirects, so none is followed: the request fails cleanly.
 * The module is the one dockerode itself loads (resolved from dockerode's folder, never a bundled copy).
 */
export function refuseEngineRedirects(): void {
  if (refused) return
  // import.meta.url in the ES module builds; __filename where the core is bundled as CommonJS (tests' children).
  const require = createRequire(typeof __filename === 'string' ? __filename : import.meta.url)
  const fromDockerode = createRequire(require.resolve('dockerode'))
  const modemHttp = fromDockerode(`${dirname(fromDockerode.resolve('docker-modem'))}/http.js`) as { maxRedirects: number }
  modemHttp.maxRedirects = 0
  refused = true
}
