/** Filled in later: the read-only fleet page. */
export function fleetPage(): string {
  return '<!doctype html><title>Sandlot fleet</title><p>Sandlot orchestrator.</p>'
}
