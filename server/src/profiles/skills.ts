/**
 * Loads a profile's skills: `skills/<name>/SKILL.md` (front-matter `name`, `description`, optional
 * `triggers` and `allowed-tools`, as Claude's and MOCO's skill loader read them) and MOCO's flat
 * `skills/<name>.md` (plain Markdown, as in its strategy-consulting profile). A skill that cannot be
 * read is left out with a warning: skills never stop a profile from loading.
 */
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ProfileError } from './errors';
import { splitFrontMatter } from './frontMatter';
import { skillFrontMatterHints, skillFrontMatterSchema } from './schema';
import type { SkillConfig } from './types';
import { validateYaml } from './validate';

const SKILL_FILE = 'SKILL.md';
const SKILL_KEYS = ['name', 'description', 'triggers', 'allowed-tools', 'allowed_tools'];

/**
 * @param skillsDir absolute path of the profile's `skills/` folder (it may not exist).
 * @returns the skills sorted by name, and one warning per skill left out or duplicated.
 */
export async function loadSkills(skillsDir: string): Promise<{ skills: SkillConfig[]; warnings: string[] }> {
  const entries = await readdir(skillsDir, { withFileTypes: true }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  });
  const candidates: { file: string; fallbackName: string }[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.isDirectory()) {
      candidates.push({ file: path.join(skillsDir, entry.name, SKILL_FILE), fallbackName: entry.name });
    } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) {
      candidates.push({ file: path.join(skillsDir, entry.name), fallbackName: entry.name.slice(0, -3) });
    }
  }
  const skills: SkillConfig[] = [];
  const warnings: string[] = [];
  for (const candidate of candidates) {
    let loaded: SkillConfig | undefined;
    try {
      loaded = await loadSkill(candidate.file, candidate.fallbackName);
    } catch (error) {
      warnings.push(skillWarning(candidate.file, error));
      continue;
    }
    if (!loaded) continue;
    const twin = skills.find((skill) => skill.name === loaded.name);
    if (twin) {
      warnings.push(`${loaded.file}: a skill named "${loaded.name}" is already defined in ${twin.file}; this one is left out. Rename one of them.`);
      continue;
    }
    skills.push(loaded);
  }
  return { skills: skills.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), warnings };
}

function skillWarning(file: string, error: unknown): string {
  const reason = error instanceof ProfileError ? error.message : `${file}: ${error instanceof Error ? error.message : String(error)}`;
  return `${reason}\n(the skill is left out; the rest of the profile works)`;
}

/** Loads one skill file; `undefined` when a skill folder has no SKILL.md. */
async function loadSkill(file: string, fallbackName: string): Promise<SkillConfig | undefined> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  const split = splitFrontMatter(text, file, SKILL_KEYS);
  const front = split.yaml
    ? validateYaml(skillFrontMatterSchema, split.yaml, skillFrontMatterHints, split.yaml.data ?? {}).value
    : skillFrontMatterSchema.parse({});
  const body = split.body.trim();
  const allowed = front['allowed-tools'] ?? front.allowed_tools;
  const skill: SkillConfig = {
    name: front.name ?? fallbackName,
    description: (front.description ?? firstHeading(body) ?? '').trim(),
    triggers: front.triggers ?? [],
    file,
    body,
  };
  if (allowed !== undefined) {
    // Claude's format also allows one comma-separated string: `allowed-tools: Read, Grep`.
    skill.allowedTools = allowed.flatMap((entry) => entry.split(',')).map((tool) => tool.trim()).filter((tool) => tool !== '');
  }
  return skill;
}

function firstHeading(markdown: string): string | undefined {
  return /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(markdown)?.[1];
}
