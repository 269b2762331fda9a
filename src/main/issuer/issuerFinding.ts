import type { FindingLevel, IssuerCheckReport } from '../../shared/issuerTypes'

export type Provider = IssuerCheckReport['provider']

/** Records one finding of an issuer check. */
export type AddFinding = (
  id: string,
  level: FindingLevel,
  title: string,
  detail: string,
  fix?: string | null,
) => void
