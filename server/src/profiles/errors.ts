/**
 * Errors of profile loading. Each carries a `code` of `MocoErrorCodes` so the JSON-RPC layer can pass
 * it on, and a message a user can act on: the file, the line, what is wrong and what to write.
 */
import { MocoErrorCodes } from '../../../protocol/errors';

/**
 * A profile file is malformed (YAML syntax, a wrong value, a missing file or folder).
 * `message` starts with `<file>:<line>:` when the line is known.
 */
export class ProfileError extends Error {
  readonly code = MocoErrorCodes.ProfileInvalid;

  /**
   * @param file absolute path of the file (or folder) at fault.
   * @param line 1-based line in `file`, when known.
   * @param problem what is wrong and what to write instead, without the location.
   */
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${problem}`);
    this.name = 'ProfileError';
  }
}

/** No profile of that name in any search directory. The message lists the profiles found and the directories searched. */
export class ProfileNotFoundError extends Error {
  readonly code = MocoErrorCodes.ProfileNotFound;

  /**
   * @param profileName the name asked for.
   * @param available names of the profiles found, sorted.
   * @param searched the search directories in order, each described (for example `/x (MOCO_PROFILES_DIR)`).
   * @param createIn the directory to suggest creating the profile in (the workspace's, else
   *   `MOCO_PROFILES_DIR`); without one, the message suggests setting `MOCO_PROFILES_DIR`.
   */
  constructor(
    readonly profileName: string,
    readonly available: readonly string[],
    readonly searched: readonly string[],
    createIn?: string,
  ) {
    const create =
      createIn === undefined
        ? `create a folder ${profileName}/ with profile.yaml and agents/<agent>.md, and set MOCO_PROFILES_DIR to the folder that holds it.`
        : `create ${createIn}/${profileName}/profile.yaml and ${createIn}/${profileName}/agents/<agent>.md.`;
    super(
      `No profile named "${profileName}". ` +
        (available.length > 0 ? `Profiles found: ${available.join(', ')}. ` : 'No profiles were found. ') +
        `Searched, in order: ${searched.join('; ')}. Use one of the profiles found, or ${create}`,
    );
    this.name = 'ProfileNotFoundError';
  }
}

/** No agent of that name in the profile. The message lists the valid names. */
export class UnknownAgentError extends Error {
  readonly code = MocoErrorCodes.UnknownAgent;

  /**
   * @param agentName the name asked for.
   * @param profileName the profile searched.
   * @param validNames the profile's agent names.
   */
  constructor(
    readonly agentName: string,
    readonly profileName: string,
    readonly validNames: readonly string[],
  ) {
    super(
      `No agent named "${agentName}" in profile "${profileName}". Valid agents: ${validNames.join(', ')}.`,
    );
    this.name = 'UnknownAgentError';
  }
}
