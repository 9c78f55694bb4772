# Shop OMS application image: one image runs the api, worker, carrier stand-in
# and migrations; docker-compose.yml picks the role through the command.
FROM node:20-bookworm-slim

# Build tools for better-sqlite3's native addon; openssl for Prisma's engines.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first so this layer is cached until the lockfile changes.
COPY package.json package-lock.json ./
RUN npm ci

COPY . .

# The app keeps one generated Prisma client per database (PostgreSQL and SQLite).
RUN npm run db:generate

ENV NODE_ENV=production

# Default role; compose overrides it (worker, carrier, db:migrate).
CMD ["npm", "run", "api"]
