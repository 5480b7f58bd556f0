# syntax=docker/dockerfile:1
# Gradbook's web app: `docker build -t gradbook .`, then see docs/self-hosting.md.
# The image runs `next start` on the built workspace (not Next's standalone output, whose file
# tracing would miss the migrations folder, read at run time) with production dependencies only.

ARG NODE_IMAGE=node:20-bookworm-slim

# Every workspace's package.json and the lockfile: the install layers below are reused until a
# dependency changes, and a new workspace needs no edit here.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp package.json package-lock.json /manifests/ \
 && cp --parents bench/package.json /manifests/ \
 && find packages apps -mindepth 2 -maxdepth 2 -name package.json -exec cp --parents {} /manifests/ \;

# The build: every dependency (compilers, bundlers), then the web app and the packages it uses.
FROM ${NODE_IMAGE} AS build
ENV NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --no-audit --no-fund
COPY . .
# A school's own course: a folder of lesson notebooks in the build context, named by its path in
# the image (e.g. --build-arg GRADBOOK_LESSONS_DIR=/app/course). Course pages are rendered at
# build time, so the build reads it; the runtime image gets the folder and the variable too.
ARG GRADBOOK_LESSONS_DIR=
RUN npx turbo run build --filter=@gradbook/web
# What `next start` reads, gathered in /out: the build (.next, without its cache), public/
# (the sandbox bundle, Monaco and the editor's types), the config and the tsconfig it loads,
# the migrations (applied at start), and each workspace package's manifest and dist/ (where
# node_modules links to).
RUN mkdir -p /out/app/apps/web /out/next \
 && cp package.json package-lock.json tsconfig.base.json /out/app/ \
 && cd apps/web \
 && cp -r package.json next.config.ts tsconfig.json public drizzle /out/app/apps/web/ \
 && cp -r .next/. /out/next/ && rm -rf /out/next/cache \
 && cd /app \
 && for dir in packages/*/; do \
      mkdir -p "/out/app/$dir" && cp "$dir/package.json" "/out/app/$dir"; \
      if [ -d "$dir/dist" ]; then cp -r "$dir/dist" "/out/app/$dir"; fi; \
    done \
 && if [ -n "$GRADBOOK_LESSONS_DIR" ]; then \
      case "$GRADBOOK_LESSONS_DIR" in /app/*) ;; *) echo "GRADBOOK_LESSONS_DIR must be under /app" >&2; exit 1;; esac; \
      mkdir -p "/out/app/${GRADBOOK_LESSONS_DIR#/app/}" && cp -r "$GRADBOOK_LESSONS_DIR/." "/out/app/${GRADBOOK_LESSONS_DIR#/app/}/"; \
    fi

# Production dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ARG GRADBOOK_LESSONS_DIR=
ENV NODE_ENV=production \
    GRADBOOK_LESSONS_DIR=${GRADBOOK_LESSONS_DIR} \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    GRADBOOK_DATA_DIR=/data/pglite \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=deps /app/ ./
COPY --from=build /out/app/ ./
# Next writes its runtime cache under .next, so the app's user owns it (and nothing else).
COPY --from=build --chown=node:node /out/next/ ./apps/web/.next/
# The embedded database (PGlite) lives in /data unless DATABASE_URL names a PostgreSQL server.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
WORKDIR /app/apps/web
EXPOSE 3000
# No curl in the slim image: Node's fetch asks /api/health (200 only when the database answers).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/api/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself (not npm) is pid 1, so `docker stop`'s SIGTERM reaches Next, which shuts down.
CMD ["node", "/app/node_modules/next/dist/bin/next", "start"]
