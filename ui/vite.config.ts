import { defineConfig } from "vitest/config";

// Plain TypeScript, no remote content: everything is bundled into dist/ and served by Tauri.
// Tests run in Node; a test file that needs a DOM says `// @vitest-environment jsdom` at its top.
export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
  test: { environment: "node" },
});
