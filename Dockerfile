# syntax=docker/dockerfile:1
# One image for the API, the worker and the CLI (docs/adr/0101-container-image.md):
#   docker build -t stepwise .
#   docker run stepwise            # the API (the default command), health on /health/ready
#   docker run stepwise worker
#   docker run stepwise cli migrate

# Build: every dependency, then swc into dist/ (the type check runs in CI, not here).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json .swcrc ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
COPY bench ./bench
COPY test/support ./test/support
COPY scripts/build-console.js ./scripts/
RUN npm run build

# Production dependencies only: nothing the build or the tests need reaches the final image.
FROM node:20-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
# Owned by root and only readable by the app's user: the running process cannot change its code.
COPY package.json ./
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist/apps ./dist/apps
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/migrations ./dist/migrations
COPY --from=build /app/dist/console ./dist/console
COPY config ./config
COPY docker/entrypoint.sh docker/healthcheck.js ./docker/
USER node
EXPOSE 3000
# The worker's container checks its metrics port instead: `node docker/healthcheck.js worker`.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/app/docker/healthcheck.js", "api"]
ENTRYPOINT ["/bin/sh", "/app/docker/entrypoint.sh"]
CMD ["api"]
