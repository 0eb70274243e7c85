/** Where the document is served, and where its committed copy lives (regenerate with `npm run openapi`). */
export const OPENAPI_PATH = '/api/openapi.json'
export const OPENAPI_FILE = 'docs/openapi.json'

export const OPENAPI_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'Sandlot API',
    version: '1',
    description:
      'The REST and Server-Sent Events API of `sandlot serve`, on loopback only. Every route but /api/health needs `Authorization: Bearer <token>` (the data folder\'s api-token). Errors are `{ "error": { "code", "message", "hint" } }`. Terminals stream over the WebSocket `/ws/terminals/{id}` and live monitoring events over `/ws/monitoring` (token as the `sandlot.token.<token>` subprotocol; see docs/api.md).'
  }
} as const
