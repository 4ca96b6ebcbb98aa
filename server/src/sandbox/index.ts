/** The sandbox: one interface, three drivers (README.md in this folder). */
export * from './types';
export { selectSandbox, detectSandbox, type SandboxSelectOptions, type SandboxDetection } from './select';
export { createDockerSandbox, type DockerSandboxOptions } from './dockerDriver';
export { createBubblewrapSandbox, probeBubblewrap, type BubblewrapOptions } from './bubblewrapDriver';
export { createNoneSandbox } from './noneDriver';
export { removeOrphanContainers, SANDBOX_LABEL, SESSION_LABEL, OWNER_LABEL } from './dockerContainer';
export { dockerEndpoints, findDockerEngine } from './dockerSocket';
