/**
 * Local state (the data folder: the SQLite database, the embedded Temporal server's file, MailDev's mails, the
 * logs, the generated keys) holds customer data and secrets: readable by its owner only, folders 0700 and files
 * 0600, whatever the umask. Modes are set when a folder or file is made and tightened on every start, so a data
 * folder left by an older version (0755/0644) is closed too. On Windows, modes mean little; nothing fails there.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Makes the folder (and missing parents, which get the same mode) and sets it to 0700. */
export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmod(dir, PRIVATE_DIR_MODE);
}

/** A folder someone else owns (OMS_DATA_DIR pointed at a shared place) cannot be tightened: say so, and go on. */
function chmod(target: string, mode: number): void {
  try {
    fs.chmodSync(target, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    console.warn(`could not make ${target} private (mode ${mode.toString(8)}): it belongs to another user`);
  }
}

/**
 * Makes the file empty if it is missing and sets it to 0600, before anything writes to it. Missing folders on the
 * way are made 0700; existing ones are left as they are (a database file may live in any folder).
 */
export function privateFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  chmod(file, PRIVATE_FILE_MODE);
}

/**
 * Tightens what a folder already holds: itself 0700, its files 0600, and so on `depth` levels down (the data
 * folder's own files and its subfolders' files, e.g. `maildev/` and `logs/`, not a deep tree someone pointed it
 * at). Symbolic links are left alone.
 */
export function tightenTree(dir: string, depth = 1): void {
  if (!fs.existsSync(dir)) return;
  chmod(dir, PRIVATE_DIR_MODE);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile()) chmod(full, PRIVATE_FILE_MODE);
    else if (entry.isDirectory() && depth > 0) tightenTree(full, depth - 1);
  }
}
