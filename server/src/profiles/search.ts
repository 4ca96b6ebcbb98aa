/**
 * Where profiles are found: `MOCO_PROFILES_DIR`, then `<workingDir>/.moco/profiles`, then the bundled
 * `profiles/` (DESIGN.md "Formats"). A profile found earlier hides one of the same name found later.
 * A folder is a profile when it holds `profile.yaml` or an `agents/` folder.
 */
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ProfileSource } from '../../../protocol/profiles';
import type { ProfileSearch } from './types';

/** One search directory. */
export interface SearchDir {
  /** Absolute path. */
  dir: string;
  source: ProfileSource;
  /** For messages: the path and where it comes from. */
  label: string;
}

/** A profile folder found in the search directories. */
export interface ProfileLocation {
  /** Folder name = profile name. */
  name: string;
  /** Absolute path of the profile's folder. */
  dir: string;
  source: ProfileSource;
}

/** The search directories in order, without duplicates (the first source of a path wins). */
export function searchDirs(search: ProfileSearch): SearchDir[] {
  const dirs: SearchDir[] = [];
  const add = (dir: string, source: ProfileSource, origin: string): void => {
    const absolute = path.resolve(dir);
    if (!dirs.some((d) => d.dir === absolute)) dirs.push({ dir: absolute, source, label: `${absolute} (${origin})` });
  };
  const envDir = search.env.MOCO_PROFILES_DIR?.trim();
  if (envDir) add(envDir, 'env', 'MOCO_PROFILES_DIR');
  if (search.workingDir) add(path.join(search.workingDir, '.moco', 'profiles'), 'workspace', 'workspace');
  add(search.bundledDir, 'bundled', 'bundled');
  return dirs;
}

/** Whether `name` can be a profile folder name (one path segment, not `.` or `..`). */
export function isValidProfileName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[\\/]/.test(name);
}

/** The first profile folder named `name` in the search order, if any. */
export async function findProfile(name: string, search: ProfileSearch): Promise<ProfileLocation | undefined> {
  if (!isValidProfileName(name)) return undefined;
  for (const { dir, source } of searchDirs(search)) {
    const candidate = path.join(dir, name);
    if (await isProfileFolder(candidate)) return { name, dir: candidate, source };
  }
  return undefined;
}

/** Every profile found, the earlier search directory winning on a name, sorted by name. */
export async function findAllProfiles(search: ProfileSearch): Promise<ProfileLocation[]> {
  const found = new Map<string, ProfileLocation>();
  for (const { dir, source } of searchDirs(search)) {
    for (const name of await subfolders(dir)) {
      if (found.has(name)) continue;
      const candidate = path.join(dir, name);
      if (await isProfileFolder(candidate)) found.set(name, { name, dir: candidate, source });
    }
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Each search directory described for a "not found" message, with whether it exists. */
export async function describeSearchDirs(search: ProfileSearch): Promise<string[]> {
  return Promise.all(
    searchDirs(search).map(async ({ dir, label }) => ((await isDirectory(dir)) ? label : `${label}, which does not exist`)),
  );
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

async function isProfileFolder(dir: string): Promise<boolean> {
  return (await isFile(path.join(dir, 'profile.yaml'))) || (await isDirectory(path.join(dir, 'agents')));
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
