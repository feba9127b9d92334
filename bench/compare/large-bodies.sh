#!/usr/bin/env bash
# bench/compare/large-bodies.sh - large request and response bodies through the gateway, beside nginx and the upstream alone.
#
# One command: publishes the gateway (Release, as run.sh does) into a temp dir, starts a small upstream
# (bench/compare/body-upstream.py: sendfile of a file for GET, reads and discards a PUT body) and the proxies, then
# measures in rounds: in each, every row downloads the file once and uploads it once with curl, taking turns, while the
# proxy's CPU time is read from /proc.
# Rows: the upstream alone (curl straight to it), the gateway, with --baseline-ref the gateway built from another
# commit, and nginx as a proxy. Prints a markdown table: MB/s (10^6 bytes per second) median and range per row and
# direction, the ratio against nginx (median of the per-round ratios), the proxy's CPU per transfer and its peak RSS.
# Proxies are pinned to core 0; curl and the upstream to core 1. Everything listens on 127.0.0.1 only, every step has a
# time limit, and every process it starts is stopped on exit, error or Ctrl-C (run.sh's helpers, sourced below).
# See bench/compare/README.md for how to read the numbers.
set -euo pipefail

BODIES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# run.sh's helpers (processes, ports, /proc readings, quiet machine, publishing, the baseline build, cleanup), without
# its main.
# shellcheck source-path=SCRIPTDIR source=run.sh
source "$BODIES_DIR/run.sh"

# run.sh's log and die, with this script's prefix.
log() { printf '[large-bodies] %s\n' "$*" >&2; }

die() {
    printf '[large-bodies] error: %s\n' "$*" >&2
    exit 1
}

readonly BODIES_TRANSFER_TIMEOUT=300
BODIES_SIZE_MB=200
BODIES_DOWNLOAD_PATH=/body
BODIES_ROUNDS=4
# The SHA-256 of the body file, and the last transfer's "seconds bytes".
BODIES_SHA=""
BODIES_TRANSFER=""

bodies_usage() {
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

bodies_parse_args() {
    while (($# > 0)); do
        case "$1" in
            --size-mb) BODIES_SIZE_MB="${2:?--size-mb needs a value}"; shift 2 ;;
            --chunked) BODIES_DOWNLOAD_PATH="/body?chunked"; shift ;;
            --rounds) BODIES_ROUNDS="${2:?--rounds needs a value}"; shift 2 ;;
            --gateway-env) GATEWAY_ENV="${2?--gateway-env needs a value}"; shift 2 ;;
            --baseline-ref) BASELINE_REF="${2:?--baseline-ref needs a value}"; shift 2 ;;
            --max-quiet-wait) MAX_QUIET_WAIT="${2:?--max-quiet-wait needs a value}"; shift 2 ;;
            --keep) KEEP_WORK_DIR=1; shift ;;
            -h | --help) bodies_usage; exit 0 ;;
            *) bodies_usage >&2; die "unknown option '$1'" ;;
        esac
    done
    [[ "$BODIES_SIZE_MB" =~ ^[1-9][0-9]*$ ]] || die "--size-mb needs a positive whole number, got '$BODIES_SIZE_MB'"
    [[ "$BODIES_ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds needs a positive whole number, got '$BODIES_ROUNDS'"
    [[ "$MAX_QUIET_WAIT" =~ ^[0-9]+$ ]] || die "--max-quiet-wait needs a whole number of seconds, got '$MAX_QUIET_WAIT'"
    require_env_assignments --gateway-env "$GATEWAY_ENV"
    # run.sh's build_binaries then publishes the gateway alone (and the baseline's, with --baseline-ref).
    ONLY=gateway
    [[ -z "$BASELINE_REF" ]] || resolve_baseline_ref
}

bodies_require_tools() {
    local tool
    for tool in taskset timeout curl nginx python3 pgrep getconf dotnet git; do
        command -v "$tool" >/dev/null || die "'$tool' is required but not installed"
    done
    (($(nproc) >= 2)) || die "needs at least 2 cores (proxies on core $PROXY_CORE, curl and the upstream on core $LOAD_CORE)"
}

# ---------------------------------------------------------------------------------------------------
# The body, its upstream and the proxies (rows registered with run.sh's register_target, URLs without a path)
# ---------------------------------------------------------------------------------------------------

# The file every download reads: random bytes, so nothing along the way can compress it.
make_body_file() {
    log "writing a ${BODIES_SIZE_MB} MB body file"
    head -c $((BODIES_SIZE_MB * 1000000)) /dev/urandom >"$WORK_DIR/body.bin"
    BODIES_SHA="$(sha256sum "$WORK_DIR/body.bin" | cut -d' ' -f1)"
}

start_body_upstream() {
    UPSTREAM_PORT="$(free_port)"
    start_pinned upstream "$LOAD_CORE" python3 "$SCRIPT_DIR/body-upstream.py" "$UPSTREAM_PORT" "$WORK_DIR/body.bin"
    UPSTREAM_PID="$LAST_PID"
    wait_until_ready "http://127.0.0.1:$UPSTREAM_PORT/healthz" "$UPSTREAM_PID" upstream
    register_target reference "upstream alone" "http://127.0.0.1:$UPSTREAM_PORT" "$UPSTREAM_PID"
}

# Gateway executable $2 as row $1: the quick start to the upstream, accepting request bodies of the body file's size.
start_body_gateway() {
    local name="$1" binary="$2" port admin
    port="$(free_port)"
    admin="$(free_port)"
    # shellcheck disable=SC2086 # K=V words, split on purpose
    start_pinned "$name" "$PROXY_CORE" env GATEWAY_UPSTREAM="http://127.0.0.1:$UPSTREAM_PORT" \
        GATEWAY_LISTEN="http://127.0.0.1:$port" GATEWAY_ADMIN_LISTEN="http://127.0.0.1:$admin" \
        GATEWAY_MAX_REQUEST_BODY_BYTES=$((BODIES_SIZE_MB * 1000000 + 1)) $DOTNET_ROW_ENV $GATEWAY_ENV "$binary"
    wait_until_ready "http://127.0.0.1:$admin/healthz" "$LAST_PID" "$name"
    register_target gateway "$name" "http://127.0.0.1:$port" "$LAST_PID"
}

# nginx as the proxy: one worker, pooled upstream connections, proxy_buffering at its default (on), and request
# buffering off (by default nginx writes a whole request body to a temp file before it sends any of it upstream).
start_body_nginx_proxy() {
    local dir="$WORK_DIR/nginx-proxy" port
    port="$(free_port)"
    mkdir -p "$dir"
    cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
$(nginx_private_paths "$dir")
events { worker_connections 1024; }
http {
$(nginx_http_private_paths "$dir")
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
    # nginx's worker (not root) writes the temp files of a response its client takes slower than the upstream sends it.
    chmod 711 "$WORK_DIR"
    chmod 777 "$dir" "$dir/tmp"
    start_pinned nginx-proxy "$PROXY_CORE" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
    wait_until_ready "http://127.0.0.1:$port/healthz" "$LAST_PID" nginx-proxy
    register_target proxy nginx "http://127.0.0.1:$port" "$LAST_PID"
}

# ---------------------------------------------------------------------------------------------------
# Transfers
# ---------------------------------------------------------------------------------------------------

# One transfer with curl pinned to the load core: "download" or "upload" of the body through $2; sets BODIES_TRANSFER
# to "seconds bytes" (curl's total time and bytes moved in the measured direction) and checks the status.
transfer() {
    local direction="$1" url="$2" out="$3" format
    if [[ "$direction" == download ]]; then
        format='%{http_code} %{time_total} %{size_download}\n'
        timeout "$BODIES_TRANSFER_TIMEOUT" taskset -c "$LOAD_CORE" curl -s -o /dev/null -w "$format" "$url$BODIES_DOWNLOAD_PATH" >"$out" \
            || die "download through $url failed"
    else
        format='%{http_code} %{time_total} %{size_upload}\n'
        timeout "$BODIES_TRANSFER_TIMEOUT" taskset -c "$LOAD_CORE" curl -s -o /dev/null -w "$format" -T "$WORK_DIR/body.bin" \
            "$url/upload" >"$out" || die "upload through $url failed"
    fi
    local status seconds bytes
    read -r status seconds bytes <"$out"
    [[ "$status" == 200 ]] || die "$direction through $url answered $status"
    [[ "$bytes" == $((BODIES_SIZE_MB * 1000000)) ]] || die "$direction through $url moved $bytes bytes"
    BODIES_TRANSFER="$seconds $bytes"
}

# Each row once before the rounds: the download's checksum and the upload's byte count (the upstream answers what it
# received) must match, and the .NET rows get their code compiled.
verify_and_warm_up() {
    local i sha received
    for i in "${!TARGET_NAMES[@]}"; do
        sha="$(timeout "$BODIES_TRANSFER_TIMEOUT" curl -s "${TARGET_URLS[$i]}$BODIES_DOWNLOAD_PATH" | sha256sum | cut -d' ' -f1 || true)"
        [[ "$sha" == "$BODIES_SHA" ]] || die "${TARGET_NAMES[$i]}: the downloaded body's checksum differs"
        received="$(timeout "$BODIES_TRANSFER_TIMEOUT" curl -s -T "$WORK_DIR/body.bin" "${TARGET_URLS[$i]}/upload?sha256" || true)"
        [[ "$received" == "$((BODIES_SIZE_MB * 1000000)) $BODIES_SHA" ]] \
            || die "${TARGET_NAMES[$i]}: the upstream received '$received' instead of the whole body"
        transfer download "${TARGET_URLS[$i]}" "$WORK_DIR/warmup.txt"
        transfer upload "${TARGET_URLS[$i]}" "$WORK_DIR/warmup.txt"
        log "${TARGET_NAMES[$i]}: body intact both ways, warmed up"
    done
}

# BODIES_ROUNDS rounds; in each, every row downloads once (rows taking turns, the order rotating from round to round),
# then every row uploads once. One line per transfer in $WORK_DIR/transfers.tsv: row, round, direction, MB/s, CPU ms;
# then the peak RSS of each row in $WORK_DIR/rss.tsv.
measure_body_rounds() {
    local round direction k i count="${#TARGET_NAMES[@]}" before after seconds mbps cpu_ms
    for ((round = 1; round <= BODIES_ROUNDS; round++)); do
        wait_for_quiet_machine
        for direction in download upload; do
            for ((k = 0; k < count; k++)); do
                i=$(((k + round - 1) % count))
                before="$(tree_cpu_ticks "${TARGET_PIDS[$i]}")"
                transfer "$direction" "${TARGET_URLS[$i]}" "$WORK_DIR/curl-$i-$round-$direction.txt"
                after="$(tree_cpu_ticks "${TARGET_PIDS[$i]}")"
                seconds="${BODIES_TRANSFER%% *}"
                mbps="$(awk -v s="$seconds" -v mb="$BODIES_SIZE_MB" 'BEGIN { printf "%.1f", mb / s }')"
                cpu_ms="$(awk -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", t * 1000 / hz }')"
                printf '%s\t%s\t%s\t%s\t%s\n' "${TARGET_NAMES[$i]}" "$round" "$direction" "$mbps" "$cpu_ms" >>"$WORK_DIR/transfers.tsv"
                log "round $round/$BODIES_ROUNDS, ${TARGET_NAMES[$i]} $direction: $mbps MB/s, $cpu_ms ms CPU"
            done
        done
    done
    record_peak_rss
}

# The markdown table: per row and direction the median MB/s with its range, the median of the per-round ratios against
# nginx (and against the gateway's baseline build, when there is one), the median CPU per transfer and the peak RSS.
render_bodies_table() {
    awk -F'\t' -v rounds="$BODIES_ROUNDS" -v baseline="${BASELINE_SHORT:+gateway@$BASELINE_SHORT}" '
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

bodies_main() {
    bodies_parse_args "$@"
    trap cleanup EXIT
    trap 'on_signal INT' INT
    trap 'on_signal TERM' TERM
    WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gateway-large-bodies.XXXXXX")"
    : >"$WORK_DIR/transfers.tsv"
    : >"$WORK_DIR/rss.tsv"
    bodies_require_tools
    local load_before
    load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
    build_binaries
    make_body_file
    start_body_upstream
    start_body_gateway gateway "$WORK_DIR/bin/gateway/gateway"
    [[ -z "$BASELINE_COMMIT" ]] || start_body_gateway "gateway@$BASELINE_SHORT" "$WORK_DIR/bin/gateway-baseline/gateway"
    start_body_nginx_proxy
    verify_and_warm_up
    measure_body_rounds
    printf '\n%s, %s, load average before: %s; %s MB bodies%s, %s rounds%s\n\n%s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
        "$(nproc) cores" "$load_before" "$BODIES_SIZE_MB" "$([[ "$BODIES_DOWNLOAD_PATH" == /body ]] || printf ', downloads chunked')" \
        "$BODIES_ROUNDS" "${BASELINE_COMMIT:+, baseline $BASELINE_COMMIT}" "$(render_bodies_table)"
}

bodies_main "$@"; exit
