/**
 * The folder holding package.json: the checkout when running the TypeScript (tsx, jest), and the same folder when
 * running the compiled JavaScript under dist/ (`npm run build`; /app in the Docker image). Files the code reads at
 * run time that are not compiled (prisma/ migrations, api/codec-login/) and the default data folder are found
 * from here, never from __dirname, whose depth differs between the two.
 */
import fs from 'node:fs';
import path from 'node:path';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json in ${from} or above it`);
  }
}

export const ROOT_DIR = packageRoot(__dirname);
