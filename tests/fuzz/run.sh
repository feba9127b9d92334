#!/usr/bin/env bash
# Fuzzes the request parser with AFL++ for a bounded time: tests/fuzz/run.sh [seconds] (default 60).
# Installs afl++ (Debian) and the sharpfuzz tool when missing, publishes the harness, instruments Gateway.Core.dll,
# seeds AFL++ with corpus/ and regressions/, and exits non-zero when AFL++ saved a crashing input.
# Work files and findings go to artifacts/fuzz/ (ignored by git), or to $GATEWAY_FUZZ_DIR.
set -euo pipefail
seconds="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${GATEWAY_FUZZ_DIR:-$root/artifacts/fuzz}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "fuzz: installing afl++"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends afl++ >/dev/null
fi
(cd "$here" && dotnet tool restore >/dev/null)

rm -rf "$work/plain" "$work/bin" "$work/seeds" "$work/findings"
mkdir -p "$work/seeds"
echo "fuzz: publishing the harness"
dotnet publish "$here/Gateway.Fuzz" -c Release -o "$work/plain" -v quiet >"$work/publish.log" 2>&1 || { cat "$work/publish.log"; exit 1; }
# AFL++ runs an instrumented copy; the plain one replays what it saves (instrumented code needs AFL++'s shared memory).
cp -r "$work/plain" "$work/bin"
(cd "$here" && dotnet tool run sharpfuzz "$work/bin/Gateway.Core.dll" >/dev/null)
find "$here/corpus" "$here/regressions" -type f ! -name README.md -exec cp {} "$work/seeds/" \;

echo "fuzz: running afl-fuzz for ${seconds}s (log: $work/afl.log)"
status=0
# The target is `dotnet`, not an AFL-compiled binary (SKIP_BIN_CHECK); CI has no tty (NO_UI), may not own a free core
# (NO_AFFINITY), and containers send core dumps elsewhere (MISSING_CRASHES).
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  afl-fuzz -i "$work/seeds" -o "$work/findings" -x "$here/http.dict" -V "$seconds" -t 2000 -m none \
  -- dotnet "$work/bin/Gateway.Fuzz.dll" >"$work/afl.log" 2>&1 || status=$?

stats="$work/findings/default/fuzzer_stats"
if [[ $status -ne 0 || ! -f "$stats" ]]; then
  tail -n 40 "$work/afl.log"
  echo "fuzz: afl-fuzz failed (exit $status)" >&2
  exit 1
fi

stat_of() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$stats"; }
echo "fuzz: $(stat_of execs_done) execs in $(stat_of run_time)s, $(stat_of execs_per_sec) exec/s," \
  "$(stat_of corpus_count) paths, $(stat_of saved_crashes) crashes, $(stat_of saved_hangs) hangs"

# AFL++ skips a seed that crashes (a regression case that broke again) with only a warning: that fails the run too.
mapfile -t crashes < <(grep -o "Test case 'id:[^']*orig:[^']*' results in a crash" "$work/afl.log" \
  | sed -E "s/.*orig:([^']*)'.*/\1/" | while read -r seed; do echo "$work/seeds/$seed"; done)
mapfile -t -O "${#crashes[@]}" crashes < <(find "$work/findings/default/crashes" -type f -name 'id:*' | sort)
if [[ ${#crashes[@]} -gt 0 ]]; then
  echo "fuzz: AFL++ found ${#crashes[@]} crashing input(s):" >&2
  printf '  %s\n' "${crashes[@]}" >&2
  dotnet "$work/plain/Gateway.Fuzz.dll" "${crashes[@]}" >&2 || true
  echo "fuzz: fix the parser, then copy each input to tests/fuzz/regressions/NAME.http so the regression test keeps it." >&2
  exit 1
fi
