/**
 * Profiles and agents in MOCO's format: loading, listing, agent lookup and system prompts.
 * See `types.ts` for the shapes and `errors.ts` for what is thrown.
 */
export { findAgent, listProfiles, loadProfile, toProfileSummary } from './loader';
export { ProfileError, ProfileNotFoundError, UnknownAgentError } from './errors';
export {
  CURRENT_DATETIME_PLACEHOLDER,
  formatDateTime,
  PROJECT_MEMORY_FILES,
  PROJECT_MEMORY_MAX_BYTES,
  readProjectMemory,
  renderSystemPrompt,
} from './prompt';
export { DELEGATE_TOOL } from './tools';
export type {
  AgentConfig,
  AgentMode,
  McpServerConfig,
  OrchestratorConfig,
  Profile,
  ProfileSearch,
  SkillConfig,
} from './types';
