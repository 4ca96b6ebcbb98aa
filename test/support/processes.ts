/** Whether a process with this pid exists now (signal 0; a zombie still counts). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
