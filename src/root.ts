import fs from "node:fs";
import path from "node:path";

/** The repository (or package) root, found by its package.json: the same from src/, test/ or dist/. */
export function findRoot(dir: string): string {
  if (fs.existsSync(path.join(dir, "package.json"))) return dir;
  const parent = path.dirname(dir);
  if (parent === dir) throw new Error(`no package.json above ${dir}`);
  return findRoot(parent);
}

export const ROOT = findRoot(__dirname);
