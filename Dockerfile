# syntax=docker/dockerfile:1
# agent-change-control GitHub App server. Build: docker build -t agent-change-control .
# Run: see docs/deploy.md. Configuration comes from the environment; nothing secret is baked into the image.

# ---- build: full install (dev dependencies included), then the TypeScript build into lib/ ----
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency install scripts (and not `prepare`); the build is the explicit step below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src/ src/
RUN npm run build

# ---- runtime: production dependencies only, the compiled server, the schemas and the manifest ----
FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    LOG_LEVEL=info
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/lib/ lib/
COPY schemas/ schemas/
COPY app.yml ./
# Files stay owned by root, so the app cannot modify itself; it runs as the unprivileged `node` user.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "lib/app/server.js"]
