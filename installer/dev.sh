#!/usr/bin/env bash
# ProMail developer entry point: install what is missing, build, test, run a local demo.
# Works from any directory; see `installer/dev.sh help`.
set -euo pipefail

# Debian 12 packages the build and the tests need. Later work adds to this one list.
DEB_PACKAGES=(
    build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
    qt6-base-dev qt6-websockets-dev qt6-httpserver-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools libqt6sql6-sqlite
    libssl-dev libunbound-dev libpsl-dev libargon2-dev libcrypt-dev libssh-dev qtkeychain-qt6-dev
    libqrencode-dev zlib1g-dev libsystemd-dev
    python3 python3-dkim python3-nacl isync swaks libnet-ssleay-perl libio-socket-ssl-perl libauthen-sasl-perl openssl argon2 sqlite3 curl
)

# Listen keys in the order they are written to the demo config.
LISTEN_KEYS=(smtp submission submissions imap imaps pop3 pop3s managesieve admin)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
case "$BUILD_DIR" in
    /*) ;;
    *) BUILD_DIR="$PWD/$BUILD_DIR" ;; # relative to the caller's directory, like any other path argument
esac
DEV_DIR="$ROOT/var/dev"
POLICY_RC=/usr/sbin/policy-rc.d
POLICY_BACKUP=""
POLICY_WRITTEN=0
DEMO_DOMAIN=example.org
DEMO_MAILBOX=demo@example.org

log() { printf '==> %s\n' "$*"; }
die() {
    printf 'dev.sh: error: %s\n' "$*" >&2
    exit 1
}

usage() {
    cat <<EOF
Usage: installer/dev.sh COMMAND [ARGS...]

Commands:
  deps              install the missing Debian packages the build and tests need
  build [ARGS...]   configure (extra ARGS go to cmake, e.g. -DPROMAIL_SANITIZE=ON) and build
  test [ARGS...]    deps + build, then run the whole test suite (extra ARGS go to ctest, e.g. -L unit)
  sanitize [ARGS...] build in build-asan with ASan/UBSan and run the unit and fuzz-replay tests
  run               deps + build, then start a demo promaild under var/dev/ on loopback ports,
                    create the domain $DEMO_DOMAIN and the mailbox $DEMO_MAILBOX, print credentials
  stop              stop the demo started by 'run'
  help              this text

Environment:
  BUILD_DIR         build directory (default: <repo>/build)
EOF
}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
    if ((EUID == 0)); then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root for: $* (run as root or install sudo)"
    fi
}

# ---------------------------------------------------------------------------------------------
# deps

missing_packages() {
    local pkg status
    for pkg in "${DEB_PACKAGES[@]}"; do
        # db:Status-Abbrev is want/status/error, e.g. "ii "; the second letter 'i' means installed
        # (a removed package whose config files remain shows "rc" and counts as missing).
        # shellcheck disable=SC2016 # ${...} is dpkg-query's format syntax, not a shell expansion
        status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)"
        if [[ ${status:1:1} != i ]]; then
            printf '%s\n' "$pkg"
        fi
    done
}

# Denies every service start while packages install: packages such as postfix, dovecot-*,
# openssh-server or knot (and any dependency that happens to carry a daemon) must not leave
# system services running on a developer's machine; tests start their own instances.
# invoke-rc.d and deb-systemd-invoke ask /usr/sbin/policy-rc.d and skip the start on exit 101.
deny_service_starts() {
    if as_root test -e "$POLICY_RC" || as_root test -L "$POLICY_RC"; then
        POLICY_BACKUP="$(as_root mktemp "$POLICY_RC.promail-saved.XXXXXX")"
        as_root cp -a "$POLICY_RC" "$POLICY_BACKUP"
    fi
    POLICY_WRITTEN=1
    printf '#!/bin/sh\n# Written by ProMail installer/dev.sh while installing packages: no service starts.\nexit 101\n' |
        as_root tee "$POLICY_RC.promail-new" >/dev/null
    as_root chmod 0755 "$POLICY_RC.promail-new"
    as_root mv -f "$POLICY_RC.promail-new" "$POLICY_RC"
}

# Puts back the policy-rc.d that was there before deny_service_starts (or removes ours).
restore_policy_rc() {
    if ((POLICY_WRITTEN == 0)); then
        return 0
    fi
    if [[ -n $POLICY_BACKUP ]]; then
        as_root mv -f "$POLICY_BACKUP" "$POLICY_RC"
    else
        as_root rm -f "$POLICY_RC"
    fi
    POLICY_WRITTEN=0
    POLICY_BACKUP=""
}

cmd_deps() {
    local -a missing
    mapfile -t missing < <(missing_packages)
    if ((${#missing[@]} == 0)); then
        log "deps: all ${#DEB_PACKAGES[@]} packages are installed"
        return 0
    fi
    log "deps: installing ${missing[*]}"
    trap restore_policy_rc EXIT
    trap 'restore_policy_rc; exit 130' INT
    trap 'restore_policy_rc; exit 143' TERM
    deny_service_starts
    local -a apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600)
    as_root "${apt[@]}" update
    as_root "${apt[@]}" install -y --no-install-recommends "${missing[@]}"
    restore_policy_rc
    trap - EXIT INT TERM

    mapfile -t missing < <(missing_packages)
    if ((${#missing[@]} != 0)); then
        die "deps: still missing after install: ${missing[*]}"
    fi
}

# ---------------------------------------------------------------------------------------------
# build / test

cmd_build() {
    local -a generator=()
    # The generator can only be chosen when the build directory is first configured.
    if [[ ! -f $BUILD_DIR/CMakeCache.txt ]] && command -v ninja >/dev/null 2>&1; then
        generator=(-G Ninja)
    fi
    # ccache is picked up by CMakeLists.txt itself (CMAKE_CXX_COMPILER_LAUNCHER).
    log "build: configuring $BUILD_DIR"
    cmake -S "$ROOT" -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
    log "build: building with $(nproc) jobs"
    cmake --build "$BUILD_DIR" -j"$(nproc)"
}

cmd_test() {
    cmd_deps
    cmd_build
    log "test: running ctest"
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 "$@"
}

# The sanitizer build (STYLE.md §17): AddressSanitizer + UBSan over the unit and fuzz-replay tests,
# in its own build directory. Slower than `test`; run it before a release or after risky changes.
cmd_sanitize() {
    cmd_deps
    BUILD_DIR="${SANITIZE_BUILD_DIR:-$ROOT/build-asan}" cmd_build -DPROMAIL_SANITIZE=ON -DPROMAIL_BUILD_PANEL=OFF \
        -DCMAKE_BUILD_TYPE=Debug
    log "sanitize: running unit and fuzz-replay tests under ASan/UBSan"
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
        ctest --test-dir "${SANITIZE_BUILD_DIR:-$ROOT/build-asan}" --output-on-failure -j2 -L 'unit|fuzz' -E headless "$@"
}

# ---------------------------------------------------------------------------------------------
# run / stop

# Prints N distinct free loopback TCP ports, space-separated (all sockets held until all are bound).
free_ports() {
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# Reads check-config output on stdin and prints which of the keys given in $1 it calls unknown.
unknown_listen_key() {
    python3 -c '
import re, sys
keys = sys.argv[1].split()
for line in sys.stdin.read().splitlines():
    u = re.search(r"unknown", line, re.I)
    if not u:
        continue
    hits = [(m.start(), k) for k in keys
            for m in re.finditer(r"(?<![A-Za-z0-9_])" + re.escape(k) + r"(?![A-Za-z0-9_])", line)]
    if not hits:
        continue
    after = [h for h in hits if h[0] > u.start()]
    print(min(after)[1] if after else max(hits)[1])
    sys.exit(0)
sys.exit(1)
' "$1"
}

# Writes $DEV_DIR/promaild.conf with the listen keys given as KEY=PORT arguments.
write_demo_config() {
    local conf="$DEV_DIR/promaild.conf" kv
    {
        printf '; Written by installer/dev.sh run; rewritten on every run.\n'
        printf '[server]\nhostname = localhost\ndata_dir = %s\n' "$DEV_DIR/data"
        if ((EUID == 0)); then
            printf 'user = promail\n'
        fi
        printf '\n[listen]\n'
        for kv in "$@"; do
            printf '%s = 127.0.0.1:%s\n' "${kv%%=*}" "${kv#*=}"
        done
    } >"$conf"
}

# Writes a demo config that the daemon accepts: starts with every listen key and drops, one at a
# time, each key that `promaild --check-config` rejects as unknown (services still being added).
configure_demo() {
    local -a ports entries
    local i out rc key conf="$DEV_DIR/promaild.conf"
    read -r -a ports <<<"$(free_ports "${#LISTEN_KEYS[@]}")"
    entries=()
    for i in "${!LISTEN_KEYS[@]}"; do
        entries+=("${LISTEN_KEYS[$i]}=${ports[$i]}")
    done
    while :; do
        write_demo_config "${entries[@]}"
        rc=0
        out="$("$BUILD_DIR/bin/promaild" --check-config --config "$conf" 2>&1)" || rc=$?
        if ((rc == 0)); then
            break
        fi
        key=""
        if ((rc == 2)) && ((${#entries[@]} > 0)); then
            # The config path may contain a key's name (e.g. /home/admin/...): hide it first.
            key="$(printf '%s\n' "${out//"$conf"/CONFIG}" | unknown_listen_key "${entries[*]%%=*}")" || key=""
        fi
        if [[ -z $key ]]; then
            printf '%s\n' "$out" >&2
            die "promaild --check-config rejected $conf (exit $rc)"
        fi
        log "run: promaild does not know [listen] $key yet; leaving it out"
        local -a kept=()
        for i in "${entries[@]}"; do
            [[ ${i%%=*} == "$key" ]] || kept+=("$i")
        done
        entries=("${kept[@]}")
    done
    DEMO_LISTEN=("${entries[@]}")
}

ensure_promail_user() {
    if ! id -u promail >/dev/null 2>&1; then
        log "run: creating system user promail"
        useradd --system --no-create-home --shell /usr/sbin/nologin promail
    fi
}

# Stops the process whose pid is in file $1 if it is still the program named $2.
stop_pidfile() {
    local pidfile="$1" name="$2" pid i
    [[ -f $pidfile ]] || return 0
    pid="$(<"$pidfile")"
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"; then
        log "stop: stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 200; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "stop: $name did not stop within 20 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pidfile"
}

cmd_stop() {
    stop_pidfile "$DEV_DIR/panel.pid" promail-panel
    stop_pidfile "$DEV_DIR/promaild.pid" promaild
}

ctl() {
    "$BUILD_DIR/bin/promailctl" --data-dir "$DEV_DIR/data" "$@"
}

random_password() {
    python3 -c 'import secrets; print(secrets.token_urlsafe(15))'
}

start_demo() {
    local bin="$BUILD_DIR/bin" data="$DEV_DIR/data" sock="$DEV_DIR/data/run/admin.sock"
    local logfile="$DEV_DIR/promaild.log" credfile="$DEV_DIR/credentials" pid i password kv
    [[ -x $bin/promaild && -x $bin/promailctl ]] || die "promaild/promailctl not built in $bin"

    cmd_stop
    mkdir -p "$data"
    if ((EUID == 0)); then
        ensure_promail_user
        # The daemon drops to promail and must own its data dir.
        chown -R promail: "$data"
    fi
    configure_demo

    log "run: starting promaild (log: $logfile)"
    nohup "$bin/promaild" --config "$DEV_DIR/promaild.conf" >"$logfile" 2>&1 </dev/null &
    pid=$!
    printf '%s\n' "$pid" >"$DEV_DIR/promaild.pid"
    for ((i = 0; i < 200; i++)); do
        [[ -S $sock ]] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if [[ ! -S $sock ]]; then
        if kill -0 "$pid" 2>/dev/null; then
            printf 'promaild did not create %s within 20 s; last log lines:\n' "$sock" >&2
        else
            printf 'promaild exited before creating %s; last log lines:\n' "$sock" >&2
        fi
        tail -n 30 "$logfile" >&2 || true
        cmd_stop
        exit 1
    fi

    if ! ctl domain show "$DEMO_DOMAIN" >/dev/null 2>&1; then
        log "run: creating domain $DEMO_DOMAIN"
        ctl domain add "$DEMO_DOMAIN" --description "ProMail demo domain"
    fi
    if ! ctl mailbox show "$DEMO_MAILBOX" >/dev/null 2>&1; then
        log "run: creating mailbox $DEMO_MAILBOX"
        password="$(random_password)"
        printf '%s\n' "$password" | ctl mailbox add "$DEMO_MAILBOX" --name "Demo User" --password-stdin
        (umask 077 && printf '%s\n' "$password" >"$credfile")
    elif [[ -s $credfile ]]; then
        password="$(<"$credfile")"
    else
        # The mailbox exists from an earlier run but its password was not kept: set a new one.
        log "run: resetting the password of $DEMO_MAILBOX"
        password="$(random_password)"
        printf '%s\n' "$password" | ctl mailbox set "$DEMO_MAILBOX" --password-stdin
        (umask 077 && printf '%s\n' "$password" >"$credfile")
    fi

    local panel_note
    if [[ -x $bin/promail-panel ]] && [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; then
        nohup "$bin/promail-panel" --socket "$sock" >"$DEV_DIR/panel.log" 2>&1 </dev/null &
        printf '%s\n' "$!" >"$DEV_DIR/panel.pid"
        panel_note="started (pid $!, log: $DEV_DIR/panel.log)"
    elif [[ ! -x $bin/promail-panel ]]; then
        panel_note="not started: $bin/promail-panel is not built"
    else
        panel_note="not started: no display (\$DISPLAY / \$WAYLAND_DISPLAY unset)"
    fi

    cat <<EOF

ProMail demo is running (pid $pid).
  data dir:   $data
  config:     $DEV_DIR/promaild.conf
  log:        $logfile
  admin sock: $sock
  mailbox:    $DEMO_MAILBOX
  password:   $password
  panel:      $panel_note

  service       address
EOF
    for kv in "${DEMO_LISTEN[@]}"; do
        printf '  %-13s 127.0.0.1:%s\n' "${kv%%=*}" "${kv#*=}"
    done
    cat <<EOF

Manage it:  $bin/promailctl --data-dir $data domain list
DKIM TXT:   $bin/promailctl --data-dir $data dkim show $DEMO_DOMAIN
Stop it:    installer/dev.sh stop   (in $ROOT)
EOF
}

cmd_run() {
    cmd_deps
    cmd_build
    start_demo
}

main() {
    local cmd="${1:-help}"
    if (($# > 0)); then
        shift
    fi
    case "$cmd" in
        deps) cmd_deps "$@" ;;
        build) cmd_build "$@" ;;
        test) cmd_test "$@" ;;
        sanitize) cmd_sanitize "$@" ;;
        run) cmd_run "$@" ;;
        stop) cmd_stop "$@" ;;
        help | -h | --help) usage ;;
        *)
            usage >&2
            printf '\ndev.sh: unknown command: %s\n' "$cmd" >&2
            exit 2
            ;;
    esac
}

# Sourcing the file (for tests of its functions) defines them without running anything.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
