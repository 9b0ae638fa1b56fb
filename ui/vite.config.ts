import { defineConfig } from "vite";

// Plain TypeScript, no remote content: everything is bundled into dist/ and served by Tauri.
export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
  test: { environment: "jsdom" },
} as never);
