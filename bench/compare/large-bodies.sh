#!/usr/bin/env bash
# bench/compare/large-bodies.sh - large request and response bodies through the gateway, beside nginx and the upstream alone.
#
# One command: publishes the gateway (Release) into a temp dir, starts a small upstream (bench/compare/body-upstream.py:
# sendfile of a file for GET, reads and discards a PUT body) and the proxies, then measures in rounds: in each, every
# row downloads the file once and uploads it once with curl, taking turns, while the proxy's CPU time is read from /proc.
# Rows: the upstream alone (curl straight to it), the gateway, with --baseline-ref the gateway built from another
# commit, and nginx as a proxy. Prints a markdown table: MB/s (10^6 bytes per second) median and range per row and
# direction, the ratio against nginx (median of the per-round ratios), the proxy's CPU per transfer and its peak RSS.
# Proxies are pinned to core 0; curl and the upstream to core 1. Everything listens on 127.0.0.1 only, every step has a
# time limit, and every process it starts is stopped on exit, error or Ctrl-C.
# See bench/compare/README.md for how to read the numbers.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
readonly PROXY_CORE=0
readonly LOAD_CORE=1
readonly READY_TIMEOUT_SECONDS=60
readonly BUILD_TIMEOUT_SECONDS=900
readonly TRANSFER_TIMEOUT_SECONDS=300
readonly STOP_TIMEOUT_SECONDS=10
readonly QUIET_BUSY_PERCENT=10
readonly DOTNET_ROW_ENV="DOTNET_TC_CallCountingDelayMs=0"

SIZE_MB=200
DOWNLOAD_PATH=/body
ROUNDS=4
MAX_QUIET_WAIT=60
GATEWAY_ENV=""
BASELINE_REF=""
BASELINE_COMMIT=""
BASELINE_SHORT=""
KEEP_WORK_DIR=0
WORK_DIR=""
STARTED_PIDS=()
LAST_PID=""
UPSTREAM_PORT=""
UPSTREAM_PID=""
CLK_TCK="$(getconf CLK_TCK)"
ROW_NAMES=()
ROW_URLS=()
ROW_PIDS=()

usage() {
    cat <<'EOF'
Usage: bench/compare/large-bodies.sh [options]

  --size-mb N             size of the body downloaded and uploaded, in MB of 10^6 bytes (default 200)
  --chunked               the upstream sends the downloads chunked (64 KiB chunks) instead of with a Content-Length
  --rounds N              rounds; in each, every row downloads the body once and uploads it once (default 4)
  --gateway-env "K=V ..." extra environment for the gateway rows
  --baseline-ref REF      also publish the gateway from git commit-ish REF and measure it as one more row,
                          "gateway@<short hash>", in the same rounds
  --max-quiet-wait S      before each round, wait up to S seconds for other work on the machine to stop (default 60)
  --keep                  keep the temp dir (configs, logs, curl output)
  -h, --help              this text

Needs nginx, curl, python3, taskset and the .NET SDK.
EOF
}

log() { printf '[large-bodies] %s\n' "$*" >&2; }

die() {
    printf '[large-bodies] error: %s\n' "$*" >&2
    exit 1
}

parse_args() {
    while (($# > 0)); do
        case "$1" in
            --size-mb) SIZE_MB="${2:?--size-mb needs a value}"; shift 2 ;;
            --chunked) DOWNLOAD_PATH="/body?chunked"; shift ;;
            --rounds) ROUNDS="${2:?--rounds needs a value}"; shift 2 ;;
            --gateway-env) GATEWAY_ENV="${2?--gateway-env needs a value}"; shift 2 ;;
            --baseline-ref) BASELINE_REF="${2:?--baseline-ref needs a value}"; shift 2 ;;
            --max-quiet-wait) MAX_QUIET_WAIT="${2:?--max-quiet-wait needs a value}"; shift 2 ;;
            --keep) KEEP_WORK_DIR=1; shift ;;
            -h | --help) usage; exit 0 ;;
            *) usage >&2; die "unknown option '$1'" ;;
        esac
    done
    [[ "$SIZE_MB" =~ ^[1-9][0-9]*$ ]] || die "--size-mb needs a positive whole number, got '$SIZE_MB'"
    [[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds needs a positive whole number, got '$ROUNDS'"
    [[ "$MAX_QUIET_WAIT" =~ ^[0-9]+$ ]] || die "--max-quiet-wait needs a whole number of seconds, got '$MAX_QUIET_WAIT'"
    local word
    for word in $GATEWAY_ENV; do
        [[ "$word" =~ ^[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]*$ ]] || die "--gateway-env: '$word' is not a K=V assignment"
    done
    if [[ -n "$BASELINE_REF" ]]; then
        [[ "$BASELINE_REF" != -* ]] || die "--baseline-ref: '$BASELINE_REF' is not a commit"
        BASELINE_COMMIT="$(git -C "$REPO_ROOT" rev-parse --verify --quiet "$BASELINE_REF^{commit}")" \
            || die "--baseline-ref: '$BASELINE_REF' is not a commit of $REPO_ROOT"
        BASELINE_SHORT="$(git -C "$REPO_ROOT" rev-parse --short "$BASELINE_COMMIT")"
    fi
}

require_tools() {
    local tool
    for tool in taskset timeout curl nginx python3 pgrep getconf dotnet git; do
        command -v "$tool" >/dev/null || die "'$tool' is required but not installed"
    done
    (($(nproc) >= 2)) || die "needs at least 2 cores (proxies on core $PROXY_CORE, curl and the upstream on core $LOAD_CORE)"
}

# ---------------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------------

start_pinned() {
    local name="$1" core="$2"
    shift 2
    taskset -c "$core" "$@" >"$WORK_DIR/$name.log" 2>&1 &
    LAST_PID=$!
    STARTED_PIDS+=("$LAST_PID")
}

is_running() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    [[ "${stat##*) }" != Z* ]]
}

process_tree() {
    local pid="$1" child
    [[ -d "/proc/$pid" ]] || return 0
    printf '%s\n' "$pid"
    for child in $(pgrep -P "$pid" || true); do
        process_tree "$child"
    done
}

# shellcheck disable=SC2317 # called by cleanup, from the EXIT trap
stop_process() {
    local pid="$1" tree waited=0
    tree="$(process_tree "$pid")"
    if [[ -n "$tree" ]]; then
        # shellcheck disable=SC2086 # one pid per word
        kill -TERM $tree 2>/dev/null || true
        while is_running "$pid" && ((waited < STOP_TIMEOUT_SECONDS * 10)); do
            sleep 0.1
            waited=$((waited + 1))
        done
        # shellcheck disable=SC2086 # one pid per word
        kill -KILL $tree 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    for pid in "${STARTED_PIDS[@]}"; do
        stop_process "$pid"
    done
    if [[ -n "$WORK_DIR" && -d "$WORK_DIR" ]]; then
        if ((status == 0 && KEEP_WORK_DIR == 0)); then
            rm -rf "$WORK_DIR"
        else
            log "logs and configs kept in $WORK_DIR"
        fi
    fi
    exit "$status"
}

wait_until_ready() {
    local url="$1" pid="$2" name="$3" deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
    while ((SECONDS < deadline)); do
        is_running "$pid" || { tail -n 20 "$WORK_DIR/$name.log" >&2; die "$name exited during start-up"; }
        [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true)" == 200 ]] && return 0
        sleep 0.2
    done
    tail -n 20 "$WORK_DIR/$name.log" >&2
    die "$name did not answer 200 on $url within ${READY_TIMEOUT_SECONDS}s"
}

# A loopback TCP port no socket uses (also no connection's local port: one in TIME-WAIT makes a listener's bind fail).
free_port() {
    local port tries=0
    while ((tries < 200)); do
        port=$((20000 + RANDOM % 30000))
        if [[ -z "$(ss -Htan "sport = :$port" 2>/dev/null)" ]]; then
            printf '%s\n' "$port"
            return 0
        fi
        tries=$((tries + 1))
    done
    die "no free loopback port found"
}

tree_cpu_ticks() {
    local total=0 pid stat fields
    for pid in $(process_tree "$1"); do
        stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
        read -r -a fields <<<"${stat##*) }"
        total=$((total + fields[11] + fields[12]))
    done
    printf '%s\n' "$total"
}

tree_peak_rss_kib() {
    local total=0 pid kib
    for pid in $(process_tree "$1"); do
        kib="$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
        total=$((total + ${kib:-0}))
    done
    printf '%s\n' "$total"
}

# Waits (at most MAX_QUIET_WAIT seconds) until both cores are nearly idle: the machine may be shared.
wait_for_quiet_machine() {
    local deadline=$((SECONDS + MAX_QUIET_WAIT)) before after busy
    while :; do
        before="$(awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t }' /proc/stat)"
        sleep 1
        after="$(awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t }' /proc/stat)"
        busy="$(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ")
            printf "%.0f", 200 * (y[1] - x[1]) / ((y[2] - x[2]) > 0 ? (y[2] - x[2]) : 1) }')"
        ((busy <= QUIET_BUSY_PERCENT)) && return 0
        if ((SECONDS >= deadline)); then
            log "warning: the cores are still ${busy}% busy (of one core) with other work; measuring anyway"
            return 0
        fi
    done
}

# ---------------------------------------------------------------------------------------------------
# Build, upstream and proxies
# ---------------------------------------------------------------------------------------------------

publish_gateway() {
    local name="$1" project="$2"
    log "publishing $project (Release) to $WORK_DIR/bin/$name"
    timeout "$BUILD_TIMEOUT_SECONDS" dotnet publish "$project" -c Release -o "$WORK_DIR/bin/$name" \
        --nologo -v quiet --disable-build-servers -p:UseSharedCompilation=false >"$WORK_DIR/build-$name.log" 2>&1 \
        || { tail -n 30 "$WORK_DIR/build-$name.log" >&2; die "publishing $project failed"; }
}

build_binaries() {
    publish_gateway gateway "$REPO_ROOT/src/Gateway.Host"
    [[ -n "$BASELINE_COMMIT" ]] || return 0
    log "baseline: $BASELINE_REF is $BASELINE_COMMIT"
    mkdir -p "$WORK_DIR/baseline-src"
    git -C "$REPO_ROOT" archive --format=tar "$BASELINE_COMMIT" | tar -xf - -C "$WORK_DIR/baseline-src" \
        || die "exporting $BASELINE_COMMIT failed"
    publish_gateway gateway-baseline "$WORK_DIR/baseline-src/src/Gateway.Host"
}

# The file every download reads: random bytes, so nothing along the way can compress it.
make_body_file() {
    log "writing a ${SIZE_MB} MB body file"
    head -c $((SIZE_MB * 1000000)) /dev/urandom >"$WORK_DIR/body.bin"
    BODY_SHA="$(sha256sum "$WORK_DIR/body.bin" | cut -d' ' -f1)"
}

start_upstream() {
    UPSTREAM_PORT="$(free_port)"
    start_pinned upstream "$LOAD_CORE" python3 "$SCRIPT_DIR/body-upstream.py" "$UPSTREAM_PORT" "$WORK_DIR/body.bin"
    UPSTREAM_PID="$LAST_PID"
    wait_until_ready "http://127.0.0.1:$UPSTREAM_PORT/healthz" "$UPSTREAM_PID" upstream
    ROW_NAMES+=("upstream alone")
    ROW_URLS+=("http://127.0.0.1:$UPSTREAM_PORT")
    ROW_PIDS+=("$UPSTREAM_PID")
}

start_gateway() {
    local name="$1" binary="$2" port admin
    port="$(free_port)"
    admin="$(free_port)"
    # shellcheck disable=SC2086 # K=V words, split on purpose
    start_pinned "$name" "$PROXY_CORE" env GATEWAY_UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT" \
        GATEWAY_LISTEN="http://127.0.0.1:$port" GATEWAY_ADMIN_LISTEN="http://127.0.0.1:$admin" \
        GATEWAY_MAX_REQUEST_BODY_BYTES=$((SIZE_MB * 1000000 + 1)) $DOTNET_ROW_ENV $GATEWAY_ENV "$binary"
    wait_until_ready "http://127.0.0.1:$admin/healthz" "$LAST_PID" "$name"
    ROW_NAMES+=("$name")
    ROW_URLS+=("http://127.0.0.1:$port")
    ROW_PIDS+=("$LAST_PID")
}

# nginx as the proxy: one worker, pooled upstream connections, proxy_buffering at its default (on), and request
# buffering off (by default nginx writes a whole request body to a temp file before it sends any of it upstream).
start_nginx_proxy() {
    local dir="$WORK_DIR/nginx-proxy" port kind
    port="$(free_port)"
    mkdir -p "$dir/tmp"
    # nginx's worker (not root) writes the temp files of a response its client takes slower than the upstream sends it.
    chmod 711 "$WORK_DIR"
    chmod 777 "$dir" "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
$(for kind in client_body proxy fastcgi uwsgi scgi; do printf '    %s_temp_path %s/tmp/%s;\n' "$kind" "$dir" "$kind"; done)
    access_log off;
    client_max_body_size 0;
    upstream backend {
        server 127.0.0.1:$UPSTREAM_PORT;
        keepalive 16;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_request_buffering off;
        }
    }
}
EOF
    start_pinned nginx-proxy "$PROXY_CORE" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
    wait_until_ready "http://127.0.0.1:$port/healthz" "$LAST_PID" nginx-proxy
    ROW_NAMES+=("nginx")
    ROW_URLS+=("http://127.0.0.1:$port")
    ROW_PIDS+=("$LAST_PID")
}

# ---------------------------------------------------------------------------------------------------
# Transfers
# ---------------------------------------------------------------------------------------------------

# One transfer with curl pinned to the load core: "download" or "upload" of the body through $2; sets TRANSFER to
# "seconds bytes" (curl's total time and bytes moved in the measured direction) and checks the status.
transfer() {
    local direction="$1" url="$2" out="$3" format
    if [[ "$direction" == download ]]; then
        format='%{http_code} %{time_total} %{size_download}\n'
        timeout "$TRANSFER_TIMEOUT_SECONDS" taskset -c "$LOAD_CORE" curl -s -o /dev/null -w "$format" "$url$DOWNLOAD_PATH" >"$out" \
            || die "download through $url failed"
    else
        format='%{http_code} %{time_total} %{size_upload}\n'
        timeout "$TRANSFER_TIMEOUT_SECONDS" taskset -c "$LOAD_CORE" curl -s -o /dev/null -w "$format" -T "$WORK_DIR/body.bin" \
            "$url/upload" >"$out" || die "upload through $url failed"
    fi
    local status seconds bytes
    read -r status seconds bytes <"$out"
    [[ "$status" == 200 ]] || die "$direction through $url answered $status"
    [[ "$bytes" == $((SIZE_MB * 1000000)) ]] || die "$direction through $url moved $bytes bytes"
    TRANSFER="$seconds $bytes"
}

# Each row once before the rounds: the download's checksum and the upload's byte count (the upstream answers what it
# received) must match, and the .NET rows get their code compiled.
verify_and_warm_up() {
    local i sha received
    for i in "${!ROW_NAMES[@]}"; do
        sha="$(timeout "$TRANSFER_TIMEOUT_SECONDS" curl -s "${ROW_URLS[$i]}$DOWNLOAD_PATH" | sha256sum | cut -d' ' -f1 || true)"
        [[ "$sha" == "$BODY_SHA" ]] || die "${ROW_NAMES[$i]}: the downloaded body's checksum differs"
        received="$(timeout "$TRANSFER_TIMEOUT_SECONDS" curl -s -T "$WORK_DIR/body.bin" "${ROW_URLS[$i]}/upload?sha256" || true)"
        [[ "$received" == "$((SIZE_MB * 1000000)) $BODY_SHA" ]] \
            || die "${ROW_NAMES[$i]}: the upstream received '$received' instead of the whole body"
        transfer download "${ROW_URLS[$i]}" "$WORK_DIR/warmup.txt"
        transfer upload "${ROW_URLS[$i]}" "$WORK_DIR/warmup.txt"
        log "${ROW_NAMES[$i]}: body intact both ways, warmed up"
    done
}

# ROUNDS rounds; in each, every row downloads once (rows taking turns, the order rotating from round to round), then
# every row uploads once. One line per transfer in $WORK_DIR/transfers.tsv: row, round, direction, MB/s, CPU ms.
measure_rounds() {
    local round direction k i count="${#ROW_NAMES[@]}" before after seconds mbps cpu_ms
    for ((round = 1; round <= ROUNDS; round++)); do
        wait_for_quiet_machine
        for direction in download upload; do
            for ((k = 0; k < count; k++)); do
                i=$(((k + round - 1) % count))
                before="$(tree_cpu_ticks "${ROW_PIDS[$i]}")"
                transfer "$direction" "${ROW_URLS[$i]}" "$WORK_DIR/curl-$i-$round-$direction.txt"
                after="$(tree_cpu_ticks "${ROW_PIDS[$i]}")"
                seconds="${TRANSFER%% *}"
                mbps="$(awk -v s="$seconds" -v mb="$SIZE_MB" 'BEGIN { printf "%.1f", mb / s }')"
                cpu_ms="$(awk -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", t * 1000 / hz }')"
                printf '%s\t%s\t%s\t%s\t%s\n' "${ROW_NAMES[$i]}" "$round" "$direction" "$mbps" "$cpu_ms" >>"$WORK_DIR/transfers.tsv"
                log "round $round/$ROUNDS, ${ROW_NAMES[$i]} $direction: $mbps MB/s, $cpu_ms ms CPU"
            done
        done
    done
    for i in "${!ROW_NAMES[@]}"; do
        printf '%s\t%s\n' "${ROW_NAMES[$i]}" "$(tree_peak_rss_kib "${ROW_PIDS[$i]}")" >>"$WORK_DIR/rss.tsv"
    done
}

# The markdown table: per row and direction the median MB/s with its range, the median of the per-round ratios against
# nginx (and against the gateway's baseline build, when there is one), the median CPU per transfer and the peak RSS.
render_table() {
    awk -F'\t' -v rounds="$ROUNDS" -v baseline="${BASELINE_SHORT:+gateway@$BASELINE_SHORT}" '
        function median(n,   i, j, t) {
            for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
            return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        function figure(row, dir, f,   r, n) {
            n = 0; delete v
            for (r = 1; r <= rounds; r++) if ((row, dir, r) in mbps) v[++n] = (f == "mbps") ? mbps[row, dir, r] : cpu[row, dir, r]
            return median(n)
        }
        function spread(row, dir,   r, lo, hi) {
            lo = hi = mbps[row, dir, 1]
            for (r = 2; r <= rounds; r++) { if (mbps[row, dir, r] < lo) lo = mbps[row, dir, r]; if (mbps[row, dir, r] > hi) hi = mbps[row, dir, r] }
            return sprintf("%.0f–%.0f", lo, hi)
        }
        function ratio(row, other, dir,   r, n, lo, hi, m) {
            if (other == "" || !((other, dir, 1) in mbps)) return "—"
            n = 0; delete v
            for (r = 1; r <= rounds; r++) v[++n] = mbps[row, dir, r] / mbps[other, dir, r]
            m = median(n); lo = hi = v[1]
            for (r = 2; r <= n; r++) { if (v[r] < lo) lo = v[r]; if (v[r] > hi) hi = v[r] }
            return sprintf("%.2f× (%.2f–%.2f)", m, lo, hi)
        }
        FNR == NR { rss[$1] = $2; next }
        { mbps[$1, $3, $2] = $4; cpu[$1, $3, $2] = $5; if (!($1 in seen)) { seen[$1] = 1; order[++rows] = $1 } }
        END {
            printf "| row | download MB/s | upload MB/s | download vs nginx | upload vs nginx |%s CPU ms per download | CPU ms per upload | peak RSS MiB |\n", \
                baseline == "" ? "" : sprintf(" download vs %s | upload vs %s |", baseline, baseline)
            printf "|---|--:|--:|--:|--:|%s--:|--:|--:|\n", baseline == "" ? "" : "--:|--:|"
            for (k = 1; k <= rows; k++) {
                row = order[k]
                printf "| %s | %.0f (%s) | %.0f (%s) | %s | %s |", row, figure(row, "download", "mbps"), spread(row, "download"), \
                    figure(row, "upload", "mbps"), spread(row, "upload"), ratio(row, "nginx", "download"), ratio(row, "nginx", "upload")
                if (baseline != "") printf " %s | %s |", ratio(row, baseline, "download"), ratio(row, baseline, "upload")
                printf " %.0f | %.0f | %.0f |\n", figure(row, "download", "cpu"), figure(row, "upload", "cpu"), rss[row] / 1024
            }
        }' "$WORK_DIR/rss.tsv" "$WORK_DIR/transfers.tsv"
}

main() {
    parse_args "$@"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gateway-large-bodies.XXXXXX")"
    : >"$WORK_DIR/transfers.tsv"
    : >"$WORK_DIR/rss.tsv"
    require_tools
    local load_before
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    build_binaries
    make_body_file
    start_upstream
    start_gateway gateway "$WORK_DIR/bin/gateway/gateway"
    [[ -z "$BASELINE_COMMIT" ]] || start_gateway "gateway@$BASELINE_SHORT" "$WORK_DIR/bin/gateway-baseline/gateway"
    start_nginx_proxy
    verify_and_warm_up
    measure_rounds
    printf '\n%s, %s, load average before: %s; %s MB bodies%s, %s rounds%s\n\n%s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
        "$(nproc) cores" "$load_before" "$SIZE_MB" "$([[ "$DOWNLOAD_PATH" == /body ]] || printf ', downloads chunked')" "$ROUNDS" "${BASELINE_COMMIT:+, baseline $BASELINE_COMMIT}" "$(render_table)"
}

main "$@"; exit
