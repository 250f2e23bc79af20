#!/bin/sh
# test-kwb-clone-auth.sh — kwb kernel clone from a server that asks for a password
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP. Argument: the kwb binary. The server is tests/data/git-http-auth-server.py
# (git http-backend behind HTTP Basic auth on 127.0.0.1) serving a repository
# of tests/data/kernel-fake. Proves: a password in the address is printed and
# stored nowhere (output, project file, the clone's .git/config, the build
# log); without one kwb fails at once with what to do, exit 1, leaving no
# half-made clone; a refused password is tried once, not in a loop.
set -u
KWB=${1:?usage: test-kwb-clone-auth.sh KWB}
DATA="$KWB_SOURCE_ROOT/tests/data"
. "$(dirname "$0")/tap-lib.sh"
T=$tmp
server=
at_exit() { [ -n "$server" ] && kill "$server" 2>/dev/null; }
export XDG_CACHE_HOME="$T/cache" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
refusals() { c=$(grep -c '^401$' "$T/requests.log" 2>/dev/null); : >"$T/requests.log"; echo "${c:-0}"; }
# Only the project file in the project folder: no clone, no hidden staging folder.
only_project_file() { [ "$(ls -A "$T/p")" = "kernel-workbench.ini" ]; }

mkdir -p "$T/root" "$T/src"
cp -r "$DATA/kernel-fake/." "$T/src/"
git -C "$T/src" init -q &&
  git -C "$T/src" add -A &&
  git -C "$T/src" -c user.name=Test -c user.email=test@example.org -c commit.gpgsign=false \
    commit -q -m "Linux fake" &&
  git clone -q --bare "$T/src" "$T/root/linux.git" || { echo "Bail out! cannot make the repository"; exit 1; }

# The server prints its port once it listens: read it through a FIFO.
mkfifo "$T/port"
python3 "$DATA/git-http-auth-server.py" "$T/root" kwb-user 'S3cret-Tok3n' "$T/requests.log" 300 >"$T/port" &
server=$!
read -r port <"$T/port"
[ -n "$port" ] || { echo "Bail out! the test server did not start"; exit 1; }
url="http://127.0.0.1:$port/linux.git"

"$KWB" init "$T/p" >/dev/null 2>&1 &&
  "$KWB" set "$T/p" kernel.build-dir "$T/kb" >/dev/null || { echo "Bail out! cannot make the project"; exit 1; }

# No credentials, nobody to ask: exit 1 at once, saying what and what to do.
# (timeout is a hang guard only.)
timeout 120 "$KWB" kernel clone "$T/p" "$url" >"$T/out" 2>"$T/err"; rc=$?
check "without credentials: exit 1" [ $rc -eq 1 ]
check "… the message says the server asks for a user name and password" \
  grep -q "asks for a user name and a password or token" "$T/err"
check "… and what to do instead" grep -q "git clone $url FOLDER && kwb set $T/p kernel.source FOLDER" "$T/err"
check "… after one refused request, no retry" [ "$(refusals)" -eq 1 ]
check "… and nothing is left in the project folder" only_project_file
cp "$T/p/kernel-workbench.ini" "$T/before"

# A wrong password in the address: tried once, "authentication failed", never printed.
timeout 120 "$KWB" kernel clone "$T/p" "http://kwb-user:Wr0ng-Tok3n@127.0.0.1:$port/linux.git" >"$T/out" 2>"$T/err"; rc=$?
check "a wrong password: exit 1 with authentication failed" sh -c "[ $rc -eq 1 ] && grep -q 'authentication failed' '$T/err'"
check "… the password and user name are printed nowhere" sh -c "! grep -q 'Wr0ng\\|kwb-user' '$T/out' '$T/err'"
check "… the address is shown without them" grep -q "“$url”" "$T/err"
check "… one anonymous and one refused request: no loop" [ "$(refusals)" -eq 2 ]
check "… nothing is left, the project file unchanged" sh -c "[ \"\$(ls -A '$T/p')\" = kernel-workbench.ini ] && cmp -s '$T/before' '$T/p/kernel-workbench.ini'"

# The right one: cloned, the tree set as the source, the secret nowhere.
timeout 120 "$KWB" kernel clone "$T/p" "http://kwb-user:S3cret-Tok3n@127.0.0.1:$port/linux.git" >"$T/out" 2>"$T/err"; rc=$?
check "the right password in the address: exit 0" [ $rc -eq 0 ]
check "… the clone is the project's kernel source" grep -q "^source=$T/p/linux$" "$T/p/kernel-workbench.ini"
check "… its origin is the address without credentials" \
  sh -c "[ \"\$(git -C '$T/p/linux' config remote.origin.url)\" = '$url' ]"
KWB_FAKE_BUILD_OK=1 KWB_NO_CCACHE=1 timeout 300 "$KWB" kernel build "$T/p" >>"$T/out" 2>>"$T/err"; rc=$?
check "… and the kernel builds from it" sh -c "[ $rc -eq 0 ] && [ -s '$T/kb/kwb-build.log' ]"
check "the secret is in no output, project file, clone file or build log" \
  sh -c "! grep -rq 'S3cret' '$T/out' '$T/err' '$T/p' '$T/kb'"

tap_done
