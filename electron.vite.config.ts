import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'
import type { Rollup } from 'vite'

// zod ships /*#__PURE__*/ comments in places Rollup cannot use; the warning is about zod, not us.
const onwarn = (warning: Rollup.RollupLog, warn: (w: Rollup.RollupLog) => void): void => {
  if (warning.code !== 'INVALID_ANNOTATION') warn(warning)
}

export default defineConfig({
  // ESM (package.json "type": "module"); dependencies stay in node_modules (externalizeDeps defaults to true).
  main: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/main/index.ts'), serve: resolve('src/main/serve.ts') },
      },
    },
  },
  // A sandboxed preload cannot load ESM nor require() anything but electron: one self-contained CommonJS file,
  // zod (used by the contract) bundled in. See https://electron-vite.org/guide/dev#limitations-of-sandboxing
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        onwarn,
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') }, onwarn } },
    plugins: [react()],
  },
})
