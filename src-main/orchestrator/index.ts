/** `sandlot orchestrator`: the team orchestrator's process, store and client, as the CLI uses them. */
export { openOrchestratorDatabase, redactedUrl, type DatabaseTarget, type OrchestratorDatabase } from './store/database'
export { addToken, listTokens, revokeToken } from './store/host-tokens'
export { startOrchestratorServer, listenPolicyProblem, TLS_HINT } from './orchestrator-server'
export { OrchestratorClient } from './orchestrator-client'
export { TokenName, TokenRole, type FleetErrorGroup, type FleetEvent, type FleetGap, type FleetHost, type FleetLogLine, type FleetWorkspace, type TokenInfo } from './fleet-contract'
