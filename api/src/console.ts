import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import helmet from 'helmet';

/** Where the ops console (admin/, Vue + Vite) is served. */
export const CONSOLE_PATH = '/admin';

/** The project root: the nearest folder above this file with a package.json (source or dist/ alike). */
function projectRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

export const consoleDist = () => path.join(projectRoot(), 'admin', 'dist');

/**
 * The console's static files with a single-page-app fallback. Its CSP is its own: Element Plus sets
 * inline styles, images may come from signed storage URLs, and the socket connects back to this
 * origin. The API keeps helmet's strict default everywhere else.
 */
export function serveConsole(dist = consoleDist()): Router {
  const router = express.Router();
  router.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );
  // Hashed assets never change; index.html must be re-read so a new build is picked up at once.
  router.use('/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  router.use(express.static(dist, { index: false }));
  router.get(/.*/, (_req, res) => {
    const index = path.join(dist, 'index.html');
    if (!fs.existsSync(index)) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('运维后台尚未构建：请运行 npm run build:admin（npm start 会自动构建）');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}
