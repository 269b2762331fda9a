export {
  UI_EXTENSION_ID,
  isAppCallableTool,
  isAppOnlyTool,
  toolsForClient,
} from '../../shared/toolVisibility'
