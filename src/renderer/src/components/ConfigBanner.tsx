import type { ServerStatus } from '../../../shared/events'

/** The config file's error (the last good config keeps serving) and its unknown keys; gone once the file is good. */
export function ConfigBanner({
  status,
}: {
  status: Pick<ServerStatus, 'configError' | 'configWarnings'>
}) {
  const warnings = status.configWarnings ?? []
  return (
    <>
      {status.configError && (
        <p className="inline-error" role="alert">
          Config file error, last good config still serving: {status.configError}
        </p>
      )}
      {warnings.length > 0 && (
        <div className="inline-warning" role="status">
          <p>Config keys the Workbench does not know (ignored):</p>
          <ul>
            {warnings.map((w) => (
              <li key={w} className="mono">
                {w}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  )
}
