import { readFileSync } from 'node:fs'
import { SandlotError } from '../sandlot-error'

export interface ExtraCa {
  file: string
  /** Why this file: the setting, or the host's NODE_EXTRA_CA_CERTS. */
  source: 'settings' | 'NODE_EXTRA_CA_CERTS'
  content: Buffer
}

/**
 * The extra CA bundle containers must trust, read on the host (a bind mount would fail on Docker Desktop
 * and remote engines, so callers copy the bytes in). Refuses a file that holds no PEM certificate.
 */
export function readExtraCa(settingsFile: string | undefined, env: NodeJS.ProcessEnv): ExtraCa | undefined {
  const choice = settingsFile
    ? { file: settingsFile, source: 'settings' as const }
    : env.NODE_EXTRA_CA_CERTS
      ? { file: env.NODE_EXTRA_CA_CERTS, source: 'NODE_EXTRA_CA_CERTS' as const }
      : undefined
  if (!choice) return undefined
  const fix =
    choice.source === 'settings'
      ? 'Fix or clear the certificates.extraCaFile setting.'
      : 'Fix NODE_EXTRA_CA_CERTS, or set certificates.extraCaFile to the right bundle.'
  let content: Buffer
  try {
    content = readFileSync(choice.file)
  } catch (err) {
    throw new SandlotError('NOT_FOUND', `Cannot read the extra CA bundle ${choice.file} (from ${choice.source}): ${(err as Error).message}`, fix)
  }
  if (!content.includes('-----BEGIN CERTIFICATE-----')) {
    throw new SandlotError('BAD_REQUEST', `${choice.file} (from ${choice.source}) holds no PEM certificate.`, fix)
  }
  return { ...choice, content }
}
