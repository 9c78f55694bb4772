# Shop OMS application image: one image runs the api, worker, carrier stand-in
# and migrations as compiled JavaScript (npm run build, dist/); docker-compose.yml
# picks the role through the command. No TypeScript or tsx at run time.

# ---- build: dependencies, Prisma clients, tsc ------------------------------------
FROM node:20-bookworm-slim AS build

# Build tools for better-sqlite3's native addon; openssl for Prisma's engines.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first so this layer is cached until the lockfile changes.
COPY package.json package-lock.json ./
# npm install, not npm ci: registries without every platform's optional packages refuse npm ci (scripts/ensure-deps.js).
RUN npm install --no-audit --no-fund

COPY . .

# prebuild generates the Prisma clients (one per database, under generated/),
# which the build compiles with the rest into dist/. Then the dev dependencies go.
RUN npm run build \
 && npm prune --omit=dev

# ---- runtime: compiled code, production node_modules, migrations ------------------
FROM node:20-bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production

# package.json marks /app as the root the code finds its files from (lib/root.ts):
# prisma/*/migrations (read by the migrate job and at start-up) and the codec
# login page are read at run time, not compiled; data/ is the default data folder.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/api/codec-login ./api/codec-login

# Default role; compose overrides it (worker, carrier, migrate). Node runs as
# PID 1 and handles SIGTERM itself (the worker drains, the API closes).
CMD ["node", "dist/api/main.js"]
