# shellcheck shell=bash
# The launcher's side of the local hand-off (docs/FORMAT.md, "Local hand-off"), sourced by ./vaultsync:
# `vaultsync sync DIR [--json] [--allow-mass-delete] [-q|--quiet] [--verbose]` while a `vaultsync watch`
# runs on DIR is handed to that watch over 127.0.0.1 with bash's /dev/tcp, so no JVM starts: the watch
# runs the round (after the one in progress, if any) and this prints the very lines `sync` prints and
# exits with its exit code.
#
# vaultsync_handoff SYNC-ARGS...: exits with the round's exit code when the watch took the sync;
# returns 1, having printed nothing on stdout, when it cannot be handed off (another option, no
# endpoint file, nothing listening, a refusal, no answer within $VAULTSYNC_HANDOFF_TIMEOUT seconds,
# default 5): the caller then runs the sync itself. Why, on stderr, only with --verbose.

vaultsync_handoff() {
  local a dir="" verbose="" words="" port="" secret="" key value line fd ep n=0
  for a in "$@"; do
    if [ "$a" = --verbose ]; then verbose=1; fi
  done
  for a in "$@"; do
    case "$a" in
      --json | --allow-mass-delete | -q | --quiet | --verbose) words+=" $a" ;;
      -*) _vaultsync_handoff_not "option $a is not handed to a watch"; return 1 ;;
      *)
        if [ -n "$dir" ]; then _vaultsync_handoff_not "more than one folder given"; return 1; fi
        dir="$a"
        ;;
    esac
  done
  if [ -z "$dir" ]; then return 1; fi
  ep="$dir/.vaultsync/watch.endpoint"
  if [ ! -f "$ep" ]; then _vaultsync_handoff_not "no watch runs on $dir"; return 1; fi
  if [ ! -O "$ep" ]; then _vaultsync_handoff_not "$ep belongs to another user"; return 1; fi
  # at most a few short lines are read, each at most 200 characters
  while [ "$n" -lt 8 ] && IFS=' ' read -r -n 200 key value; do
    n=$((n + 1))
    case "$key" in
      port) port="$value" ;;
      secret) secret="$value" ;;
    esac
  done <"$ep"
  if ! [[ "$port" =~ ^[0-9]{1,5}$ && "$secret" =~ ^[0-9a-f]{64}$ ]]; then
    _vaultsync_handoff_not "$ep is malformed"
    return 1
  fi
  if ! { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    _vaultsync_handoff_not "the watch of $ep does not answer (stale endpoint)"
    return 1
  fi
  # a watch that closed the connection must not kill this shell with SIGPIPE: write in a subshell
  if ! (trap '' PIPE && printf 'vaultsync-handoff 1 %s\nsync%s\n' "$secret" "$words" >&"$fd") 2>/dev/null; then
    exec {fd}>&-
    _vaultsync_handoff_not "the watch closed the connection"
    return 1
  fi
  if ! IFS= read -r -t "${VAULTSYNC_HANDOFF_TIMEOUT:-5}" -u "$fd" line || [ "$line" != accepted ]; then
    exec {fd}>&-
    case "$line" in
      "refused "* | "fallback "*) _vaultsync_handoff_not "the watch says: ${line#* }" ;;
      *) _vaultsync_handoff_not "the watch did not accept the sync in time" ;;
    esac
    return 1
  fi
  while IFS= read -r -u "$fd" line; do
    case "$line" in
      "out "*) printf '%s\n' "${line#out }" ;;
      "err "*) printf '%s\n' "${line#err }" >&2 ;;
      "exit "[0-9]*)
        exec {fd}>&-
        exit "${line#exit }"
        ;;
      "fallback "*)
        exec {fd}>&-
        _vaultsync_handoff_not "the watch says: ${line#* }"
        return 1
        ;;
    esac
  done
  exec {fd}>&-
  _vaultsync_handoff_not "the watch ended during the sync"
  return 1
}

_vaultsync_handoff_not() {
  if [ -n "${verbose:-}" ]; then
    printf 'vaultsync: sync: running in a new process: %s\n' "$1" >&2
  fi
}
