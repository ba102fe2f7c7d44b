// `npx vite examples/web` (dev) or `npx vite build examples/web`: the plugin compiles the model while Vite builds.
// In this repository run `npm run build` first, so `snv2c/plugin` and `snv2c/runtime` resolve to dist/.

import snv2c from 'snv2c/plugin';
import { defineConfig } from 'vite';

export default defineConfig({ plugins: [snv2c.vite({ log: console.log })] });
