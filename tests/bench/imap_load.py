#!/usr/bin/env python3
"""IMAP load benchmark (issue 4; not part of ctest).

Two modes against a promaild it starts in a temporary directory (as the integration harness does):

  commands  C clients, each logged in to its own mailbox over imaps, loop over a mix of
            SELECT, FETCH (flags and a body), SEARCH-free UID FETCH, STORE, APPEND and
            EXPUNGE for --seconds; prints commands per second and the p50/p99 latency of
            each command kind.
  idle      N authenticated TLS connections (optionally with COMPRESS=DEFLATE) held open
            and idle; prints the daemon's RSS before and after, and per connection.

Loopback only; bounded by --seconds and --connections.
"""
import argparse
import imaplib
import os
import shutil
import ssl
import sys
import tempfile
import threading
import time

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PASSWORD = "correct horse battery"


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def message(n, size):
    body = b"".join(b"Line %05d of benchmark message %d.\r\n" % (i, n) for i in range(max(1, size // 40)))
    return (f"From: bench@bench.example\r\nTo: user@bench.example\r\nSubject: bench {n}\r\n"
            f"Message-ID: <{n}.{time.time_ns()}@bench.example>\r\n\r\n").encode() + body


class OwnDaemon:
    def __init__(self, bin_dir, users):
        sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "integration"))
        os.environ["PROMAIL_BIN_DIR"] = bin_dir
        import promail_harness  # noqa: E402 (reads PROMAIL_BIN_DIR on import)

        self.workdir = tempfile.mkdtemp(prefix="promail-bench-")
        os.chmod(self.workdir, 0o755)  # the daemon drops to 'nobody' when run as root
        self.port = promail_harness.free_port()
        self.daemon = promail_harness.Daemon(self.workdir, f"[listen]\nimaps = 127.0.0.1:{self.port}\n")
        self.daemon.start()
        self.daemon.ctl("domain", "add", "bench.example", check=0)
        self.daemon.ctl("settings", "set", "imap.max_connections_per_user", "1000", check=0)
        for user in users:
            self.daemon.ctl("mailbox", "add", user, "--password-stdin", stdin=PASSWORD + "\n", check=0)

    @property
    def pid(self):
        return self.daemon.process.pid

    def stop(self):
        self.daemon.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def connect(port, user):
    client = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=tls_context(), timeout=60)
    client.login(user, PASSWORD)
    return client


def commands_worker(port, user, deadline, size, latencies, lock, errors):
    try:
        client = connect(port, user)
        n = 0
        own = {}

        def timed(kind, call, *args):
            start = time.perf_counter()
            typ, data = call(*args)
            elapsed = time.perf_counter() - start
            if typ != "OK":
                raise RuntimeError(f"{kind}: {typ} {data}")
            own.setdefault(kind, []).append(elapsed)
            return data

        while time.time() < deadline:
            n += 1
            timed("APPEND", client.append, "INBOX", None, None, message(n, size))
            exists = int(timed("SELECT", client.select, "INBOX")[0])
            timed("FETCH", client.fetch, f"1:{exists}", "(UID FLAGS RFC822.SIZE)")
            timed("FETCH", client.fetch, str(exists), "(BODY.PEEK[])")
            timed("STORE", client.store, str(exists), "+FLAGS.SILENT", "(\\Seen)")
            if exists > 20:
                timed("STORE", client.store, "1:5", "+FLAGS.SILENT", "(\\Deleted)")
                timed("EXPUNGE", client.expunge)
        client.logout()
        with lock:
            for kind, values in own.items():
                latencies.setdefault(kind, []).extend(values)
    except Exception as error:  # reported, not fatal to the other clients
        with lock:
            errors.append(f"{user}: {error}")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000


def run_commands(args):
    users = [f"user{i}@bench.example" for i in range(args.connections)]
    daemon = OwnDaemon(args.bin_dir, users)
    try:
        latencies, errors, lock = {}, [], threading.Lock()
        deadline = time.time() + args.seconds
        threads = [threading.Thread(target=commands_worker,
                                    args=(daemon.port, user, deadline, args.size, latencies, lock, errors))
                   for user in users]
        start = time.time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.time() - start
        total = sum(len(v) for v in latencies.values())
        print(f"{args.connections} clients, {elapsed:.1f} s: {total} commands, {total / elapsed:.0f} commands/s")
        for kind in sorted(latencies):
            values = latencies[kind]
            print(f"  {kind:8} {len(values):7d}  p50 {percentile(values, 0.5):7.2f} ms  p99 {percentile(values, 0.99):7.2f} ms")
        print(f"daemon RSS {rss_kib(daemon.pid) / 1024:.1f} MiB")
        for error in errors:
            print("error:", error)
        return 1 if errors else 0
    finally:
        daemon.stop()


def run_idle(args):
    user = "idle@bench.example"
    daemon = OwnDaemon(args.bin_dir, [user])
    clients = []
    try:
        connect(daemon.port, user).logout()  # warm the daemon's caches before the baseline
        time.sleep(0.5)
        before = rss_kib(daemon.pid)
        for _ in range(args.connections):
            client = connect(daemon.port, user)
            if args.compress:
                imaplib.Commands.setdefault("COMPRESS", ("AUTH", "SELECTED"))
                typ, _ = client._simple_command("COMPRESS", "DEFLATE")
                if typ != "OK":
                    raise RuntimeError("COMPRESS refused")
                # imaplib cannot read a compressed stream: the connection is only held open.
            clients.append(client)
        time.sleep(1)
        after = rss_kib(daemon.pid)
        per = (after - before) / max(1, args.connections)
        mode = "with COMPRESS=DEFLATE" if args.compress else "TLS"
        print(f"{args.connections} idle {mode} connections: RSS {before / 1024:.1f} -> {after / 1024:.1f} MiB, "
              f"{per:.1f} KiB per connection")
        return 0
    finally:
        for client in clients:
            try:
                client.shutdown()
            except OSError:
                pass
        daemon.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("commands", "idle"))
    parser.add_argument("--bin-dir", default=os.path.join(SOURCE_DIR, "build", "bin"))
    parser.add_argument("-c", "--connections", type=int, default=None,
                        help="clients (commands: 8) or idle connections (idle: 500)")
    parser.add_argument("--seconds", type=float, default=20, help="how long the command mix runs")
    parser.add_argument("--size", type=int, default=8000, help="size of each appended message in bytes")
    parser.add_argument("--compress", action="store_true", help="idle: turn on COMPRESS=DEFLATE on each")
    args = parser.parse_args()
    if args.connections is None:
        args.connections = 8 if args.mode == "commands" else 500
    return run_commands(args) if args.mode == "commands" else run_idle(args)


if __name__ == "__main__":
    sys.exit(main())
