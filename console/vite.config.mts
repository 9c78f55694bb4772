// The staff console's build: `npm run build:console` (vite build console), also run by scripts/ensure-deps.js
// before `npm start` and `npm test` when console/dist is missing or older than its sources. Everything is bundled
// (no CDN: a shop's network may be offline). Vite's own transform handles TSX (React's automatic JSX runtime).
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // Ant Design marks its modules "use client" (for React Server Components): meaningless in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
