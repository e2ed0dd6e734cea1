#!/usr/bin/env bash
# Install the system programs the tests drive for real, when missing: Debian's chromium (the
# HTML report in a real browser), redis-server (the shared index) and a Java runtime (Spark in
# local mode). Idempotent; one `apt-get update` at most. Without apt-get or root/sudo it says
# what is missing and returns 0: those tests then skip with the reason (outside CI).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: no apt-get; install ${missing[*]} yourself (their tests skip)" >&2
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
else
    echo "system-deps: not root and no sudo; install ${missing[*]} yourself (their tests skip)" >&2
    exit 0
fi
echo "system-deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq >/dev/null
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
