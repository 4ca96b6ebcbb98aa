import { mocoVersion } from '../version';

/** The line `moco version` prints, for example `moco 0.1.0 (Node v24.21.0, linux-x64)`. */
export function versionLine(): string {
  return `moco ${mocoVersion} (Node ${process.version}, ${process.platform}-${process.arch})`;
}
