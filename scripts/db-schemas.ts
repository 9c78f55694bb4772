/**
 * Writes prisma/<provider>/schema.prisma for each database from the one model file,
 * prisma/models.prisma, so the two schemas cannot drift. `--check` fails if they are stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DB_PROVIDERS, schemaPath, type DbProvider } from '../db/providers';

const MODELS = path.resolve(__dirname, '..', 'prisma', 'models.prisma');

export function schemaFor(provider: DbProvider): string {
  return `// GENERATED from prisma/models.prisma by \`npm run db:schemas\`: edit that file, not this one.

generator client {
  provider     = "prisma-client"
  output       = "../../generated/prisma/${provider}"
  moduleFormat = "cjs"
}

datasource db {
  provider = "${provider}"
}

${fs.readFileSync(MODELS, 'utf8')}`;
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  let stale = false;
  for (const provider of DB_PROVIDERS) {
    const file = schemaPath(provider);
    const wanted = schemaFor(provider);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current === wanted) continue;
    if (check) {
      console.error(`${path.relative(process.cwd(), file)} is stale: run npm run db:schemas`);
      stale = true;
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, wanted);
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  if (stale) process.exit(1);
}
