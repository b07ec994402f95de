import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The ops console, served by the API at /admin (npm run build:admin writes admin/dist). */
export default defineConfig({
  root: here('.'),
  base: '/admin/',
  plugins: [vue()],
  resolve: {
    alias: {
      '@': here('./src'),
      // The role → permission table is the API's own (api/src/shared/permissions.ts).
      '@shared': here('../api/src/shared'),
    },
  },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Large libraries in chunks of their own, cached across console releases.
        manualChunks(id: string) {
          if (/node_modules[\\/](echarts|zrender)[\\/]/.test(id)) return 'echarts';
          if (/node_modules[\\/](element-plus|@element-plus)[\\/]/.test(id)) return 'element-plus';
          if (/node_modules[\\/](vue|@vue|vue-router)[\\/]/.test(id)) return 'vue';
          return undefined;
        },
      },
    },
  },
  // `npx vite admin` during development: the API runs on :3000.
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
