import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'

export const APP_DIR_NAME = 'mcp-auth-workbench'

/**
 * The folder for config, signing keys and the stored authtoken: `WORKBENCH_DATA_DIR`, else the platform's
 * per-user config folder. The Electron shell points `userData` here too, so the app and `serve` share it.
 */
export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.WORKBENCH_DATA_DIR) return env.WORKBENCH_DATA_DIR
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME)
  // An empty or relative XDG_CONFIG_HOME is invalid (XDG Base Directory spec): it would put the signing keys
  // in the current directory. Treat it as unset.
  const xdg = env.XDG_CONFIG_HOME
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config'), APP_DIR_NAME)
}
