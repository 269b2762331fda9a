import { stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import type { ProjectFolderCheck } from '../../shared/projectFolder'
import { loadWidgetFolder } from '../widgets/loadWidgetFolder'
import type { CommandHandlers } from './types'

/**
 * `~/x` is the home folder's x; anything else must be absolute (the server has no working folder to
 * speak of).
 */
function expandPath(input: string): string | null {
  const path = input.trim()
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1))
  return isAbsolute(path) ? path : null
}

/** Checks a folder before it is served as `projectDir`: it exists and holds at least one widget. */
export async function checkProjectFolder(input: string): Promise<ProjectFolderCheck> {
  const path = expandPath(input)
  if (!path)
    return {
      path: input,
      ok: false,
      widgets: [],
      errors: [],
      message: `Enter an absolute path (like /home/you/my-widgets or ~/my-widgets), not "${input}".`,
    }
  const info = await stat(path).catch(() => null)
  if (!info)
    return { path, ok: false, widgets: [], errors: [], message: `There is no folder at ${path}.` }
  if (!info.isDirectory())
    return {
      path,
      ok: false,
      widgets: [],
      errors: [],
      message: `${path} is a file; choose the folder that holds one sub-folder per widget.`,
    }
  const { widgets, errors } = await loadWidgetFolder(path)
  const ids = widgets.map((w) => w.id)
  if (ids.length === 0 && errors.length === 0) {
    return {
      path,
      ok: false,
      widgets: ids,
      errors,
      message: `No widgets in ${path}: each widget is a sub-folder with a widget.json (see the README).`,
    }
  }
  const broken = errors.length
    ? `; ${errors.length} broken (listed on the Widgets screen once served)`
    : ''
  return {
    path,
    ok: true,
    widgets: ids,
    errors,
    message: `${ids.length} widget${ids.length === 1 ? '' : 's'} found${broken}.`,
  }
}

export function createProjectFolderCommands(): Pick<CommandHandlers, 'widget:checkFolder'> {
  return { 'widget:checkFolder': (path) => checkProjectFolder(path) }
}
