import type { WidgetLoadError } from './events'

/** What a folder would serve as `projectDir`, checked before it is saved. */
export interface ProjectFolderCheck {
  /** The absolute path (`~` expanded) that would be saved. */
  path: string
  ok: boolean
  /** Widgets found (tool names). */
  widgets: string[]
  errors: WidgetLoadError[]
  message: string
}
