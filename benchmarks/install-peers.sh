#!/usr/bin/env bash
# Installs the peers the benchmarks compare with, when they are missing: rsync and rdiff
# (librsync's command), and GNU time, which meters every process. From Debian's packages, and only
# when this runs as root with apt-get; otherwise it says what is missing and the benchmarks leave
# that peer's column out (they never fake it).
set -euo pipefail
missing=()
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
command -v rdiff >/dev/null 2>&1 || missing+=(rdiff)
[ -x /usr/bin/time ] || missing+=(time)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-peers: installing ${missing[*]} (Debian packages)" >&2
  if ! { apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; }; }; then
    echo "install-peers: could not install ${missing[*]}; their columns will be missing" >&2
  fi
else
  echo "install-peers: missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]}) for the peers' columns" >&2
fi
