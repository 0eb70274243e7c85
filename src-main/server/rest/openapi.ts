import { CoreApi, type EventSources, type MethodHandlers, type StreamHandlers } from '../../core/api'
import { OPENAPI_CONFIG } from './openapi-config'
import { createRestApp } from './rest-app'

export { OPENAPI_FILE } from './openapi-config'

/** The document, from the same routes the server registers; the core behind them is never called. */
export function openApiDocument(): unknown {
  const unused = new CoreApi({} as MethodHandlers, {} as EventSources, {} as StreamHandlers)
  return createRestApp({ api: unused, token: () => undefined, hosts: new Set(), origins: new Set() }).getOpenAPI31Document(OPENAPI_CONFIG)
}
