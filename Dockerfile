# syntax=docker/dockerfile:1

# Node 24, the current LTS (Node 20 reached end of life on 2026-04-30); package.json engines agree.
# ---------------------------------------------------------------- build
FROM node:24-bookworm-slim AS build

# better-sqlite3 is a native addon; build it against the image's own Node
# headers when no prebuilt binary can be downloaded.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
# tsc emits dist/api/src/main.js, dist/scripts/db.js, dist/migrations/*.js
# and dist/seeds/*.js; Vite builds the ops console into admin/dist.
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund

# ---------------------------------------------------------------- runtime
FROM node:24-bookworm-slim AS runtime

ENV NODE_ENV=production \
  PORT=3000

WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The ops console, served by the API at /admin.
COPY --from=build /app/admin/dist ./admin/dist

# Uploads live on a volume mounted at /app/data/uploads; the directory is
# created here so a fresh named volume inherits the node user's ownership.
RUN mkdir -p /app/data/uploads && chown -R node:node /app/data

USER node
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Apply pending migrations, then replace the shell with the API server.
CMD ["sh", "-c", "node dist/scripts/db.js migrate && exec node dist/api/src/main.js"]
