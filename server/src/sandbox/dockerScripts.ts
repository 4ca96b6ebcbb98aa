/**
 * The shell text the Docker driver runs in the container.
 *
 * Every command runs under a small wrapper, in an exec whose environment carries the command's run
 * token. The wrapper starts the command in its own session and process group (`setsid`, when the
 * image has it; stdin passed on through fd 3, as a background job's stdin is /dev/null), and once the command exits, kills that whole group in one signal, then sweeps the
 * processes that still carry the token (`setsid` and `nohup` escapees). So no process outlives its
 * command, and the exec's streams close at once (dockerd otherwise waits 2 s for a leftover holding
 * stdout). The kill exec (timeout, cancel, kill()) sweeps the same way, killing the process group
 * of every process it finds, which stops a fork bomb in one signal.
 *
 * The sweep uses shell builtins only (`read`, `case`, `kill`): it needs no fork, so it works when a
 * fork bomb has used up the pids limit. Works in dash, bash and busybox ash (their `read` drops the
 * NUL separators of /proc/<pid>/environ).
 */
import { RUN_TOKEN_VAR } from './env';

/**
 * `moco_sweep TOKEN`: SIGKILLs every process but this shell whose environment has the token, and
 * the process group of each (except this shell's), until none is left (at most 50 passes).
 */
const SWEEP_FUNCTION = `moco_sweep() {
  t=$1; i=0
  while [ $i -lt 50 ]; do
    n=0
    for d in /proc/[0-9]*; do
      p=\${d#/proc/}
      [ "$p" = "$$" ] && continue
      l=
      IFS= read -r l 2>/dev/null < "$d/environ"
      case $l in *"${RUN_TOKEN_VAR}=$t"*)
        st=
        IFS= read -r st 2>/dev/null < "$d/stat"
        set -- \${st##*) }
        [ "\${3:-0}" -gt 1 ] && [ "$3" != "$$" ] && kill -9 -"$3" 2>/dev/null
        kill -9 "$p" 2>/dev/null && n=$((n+1));;
      esac
    done
    [ $n = 0 ] && return 0
    i=$((i+1))
  done
  return 1
}`;

/** Argv of a command's exec: `sh -c WRAPPER moco <command> <token>`; bash runs the command when the image has bash. */
export function wrappedCommand(command: string, token: string): string[] {
  const wrapper = `${SWEEP_FUNCTION}
s=sh; command -v bash >/dev/null 2>&1 && s=bash
if command -v setsid >/dev/null 2>&1; then
  exec 3<&0
  setsid "$s" -c "$1" <&3 3<&- &
  g=$!
  wait $g
  rc=$?
  kill -9 -"$g" 2>/dev/null
else
  "$s" -c "$1"
  rc=$?
fi
moco_sweep "$2"
exit $rc`;
  return ['sh', '-c', wrapper, 'moco', command, token];
}

/** Argv of the exec that kills a command and everything it started (exit 0 once all are gone). */
export function killCommand(token: string): string[] {
  return ['sh', '-c', `${SWEEP_FUNCTION}\nmoco_sweep "$1"`, 'moco-kill', token];
}
