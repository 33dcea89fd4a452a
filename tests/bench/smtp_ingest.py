#!/usr/bin/env python3
"""SMTP ingest benchmark (issue 3 "Tests and benchmark"; not part of ctest).

C parallel connections send M messages of realistic size (generated text with headers, 4-40 KiB
by default) over port 25 to N local mailboxes; each connection sends several messages in one
session (MAIL, RCPT and DATA pipelined, RFC 2920). Prints accepted messages per second, the
p50/p99 latency of one message from the end of its data ("." sent) to the server's 250, and the
daemon's peak RSS (VmHWM in /proc/PID/status).

By default it starts its own promaild in a temporary directory, like the integration harness,
and creates the domain and mailboxes with promailctl. With --port it talks to a running daemon
instead: give --socket to let it create the mailboxes there and --pid to report that daemon's
peak RSS. Loopback only; bounded by --messages and --time-limit.
"""
import argparse
import os
import random
import shutil
import socket
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))
PASSWORD = "bench password 1234"

WORDS = ("the quick brown fox jumps over lazy dog mail server message delivery queue mailbox folder "
         "report meeting tomorrow budget project status update please review attached document thanks "
         "regards schedule customer invoice release version network storage backup weekly summary").split()


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--connections", "-c", type=int, default=16, help="parallel SMTP connections (default 16)")
    p.add_argument("--messages", "-m", type=int, default=2000, help="messages in total (default 2000)")
    p.add_argument("--mailboxes", "-n", type=int, default=50, help="recipient mailboxes (default 50)")
    p.add_argument("--per-session", type=int, default=25, help="messages per SMTP session (default 25)")
    p.add_argument("--min-size", type=int, default=4 * 1024, help="smallest message in bytes (default 4 KiB)")
    p.add_argument("--max-size", type=int, default=40 * 1024, help="largest message in bytes (default 40 KiB)")
    p.add_argument("--time-limit", type=float, default=300, help="stop sending after this many seconds")
    p.add_argument("--domain", default="bench.example", help="the local domain (default bench.example)")
    p.add_argument("--bin-dir", default=os.environ.get("PROMAIL_BIN_DIR", os.path.join(SOURCE_DIR, "build", "bin")),
                   help="where promaild and promailctl are (default $PROMAIL_BIN_DIR or build/bin)")
    p.add_argument("--port", type=int, help="use the promaild already listening on 127.0.0.1:PORT (port 25 role)")
    p.add_argument("--socket", help="with --port: the daemon's admin socket, to create the domain and mailboxes")
    p.add_argument("--pid", type=int, help="with --port: the daemon's process id, for its peak RSS")
    p.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    p.add_argument("--seed", type=int, default=1, help="random seed for the generated messages")
    return p.parse_args()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class OwnDaemon:
    """A promaild in a temporary directory, started and stopped like the integration harness."""

    def __init__(self, bin_dir, keep):
        sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "integration"))
        os.environ["PROMAIL_BIN_DIR"] = bin_dir
        import promail_harness  # noqa: E402 (reads PROMAIL_BIN_DIR on import)

        self.keep = keep
        self.workdir = tempfile.mkdtemp(prefix="promail-bench-")
        os.chmod(self.workdir, 0o755)  # the daemon drops to 'nobody' when run as root
        self.port = free_port()
        listen = f"[listen]\nsmtp = 127.0.0.1:{self.port}\n"
        self.daemon = promail_harness.Daemon(self.workdir, listen)
        self.daemon.start()

    @property
    def pid(self):
        return self.daemon.process.pid

    def ctl(self, *args, stdin=None):
        return self.daemon.ctl(*args, stdin=stdin, check=0)

    def stored_messages(self):
        import sqlite3
        db = sqlite3.connect(f"file:{self.daemon.data_dir}/promail.db?mode=ro", uri=True)
        try:
            return db.execute("SELECT count(*) FROM messages").fetchone()[0]
        finally:
            db.close()

    def stop(self):
        self.daemon.stop()
        if self.keep:
            print(f"data kept in {self.workdir}")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)


class Messages:
    """A pool of generated messages (headers + wrapped text), dot-stuffed, each ending in CRLF."""

    def __init__(self, count, min_size, max_size, seed):
        rng = random.Random(seed)
        self.bodies = []
        for i in range(count):
            size = rng.randint(min_size, max_size)
            lines = []
            length = 0
            while length < size:
                line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12)))
                lines.append(line.capitalize() + ".")
                length += len(line) + 3
            self.bodies.append("\r\n".join(lines).encode() + b"\r\n")

    def render(self, n, sender, recipient, rng):
        body = self.bodies[n % len(self.bodies)]
        headers = (f"From: Bench Sender <{sender}>\r\nTo: <{recipient}>\r\nSubject: benchmark message {n}\r\n"
                   f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\r\n"
                   f"Message-ID: <bench.{n}.{rng.getrandbits(48):x}@remote.example.net>\r\n"
                   f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n").encode()
        return headers + body  # generated lines never start with "." (no stuffing needed)


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def reply(self):
        while True:
            end = self.buffer.find(b"\r\n")
            while end < 0:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("server closed the connection")
                self.buffer += chunk
                end = self.buffer.find(b"\r\n")
            line, self.buffer = self.buffer[:end], self.buffer[end + 2:]
            if len(line) < 4 or line[3:4] != b"-":
                return int(line[:3]), line.decode(errors="replace")

    def close(self):
        self.sock.close()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.accepted = 0
        self.refused = 0
        self.errors = []
        self.bytes = 0
        self.next = 0

    def take(self, limit):
        with self.lock:
            if self.next >= limit:
                return None
            self.next += 1
            return self.next - 1


def worker(args, port, messages, stats, deadline, seed):
    rng = random.Random(seed)
    sender = "sender@remote.example.net"
    while time.monotonic() < deadline:
        first = stats.take(args.messages)
        if first is None:
            return
        try:
            client = Client(port)
            code, text = client.reply()
            if code != 220:
                raise ConnectionError(text)
            client.sock.sendall(b"EHLO bench.remote.example.net\r\n")
            code, text = client.reply()
            if code != 250:
                raise ConnectionError(text)
            n = first
            for i in range(args.per_session):
                if i > 0:
                    n = stats.take(args.messages)
                    if n is None or time.monotonic() >= deadline:
                        break
                recipient = f"user{n % args.mailboxes}@{args.domain}"
                data = messages.render(n, sender, recipient, rng)
                client.sock.sendall(f"MAIL FROM:<{sender}> SIZE={len(data)}\r\nRCPT TO:<{recipient}>\r\nDATA\r\n"
                                    .encode())
                replies = [client.reply() for _ in range(3)]
                if [r[0] for r in replies] != [250, 250, 354]:
                    with stats.lock:
                        stats.refused += 1
                        stats.errors.append(" | ".join(r[1] for r in replies))
                    if replies[2][0] == 354:
                        client.sock.sendall(b".\r\n")
                        client.reply()
                    client.sock.sendall(b"RSET\r\n")
                    client.reply()
                    continue
                client.sock.sendall(data + b".\r\n")
                sent = time.perf_counter()
                code, text = client.reply()
                latency = time.perf_counter() - sent
                with stats.lock:
                    if code == 250:
                        stats.accepted += 1
                        stats.latencies.append(latency)
                        stats.bytes += len(data)
                    else:
                        stats.refused += 1
                        stats.errors.append(text)
            client.sock.sendall(b"QUIT\r\n")
            client.reply()
            client.close()
        except (OSError, ConnectionError) as error:
            with stats.lock:
                stats.errors.append(f"connection: {error}")
                stats.refused += 1


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[index]


def main():
    args = parse_args()
    own = None
    if args.port:
        port, pid = args.port, args.pid
        ctl = None
        if args.socket:
            promailctl = os.path.join(args.bin_dir, "promailctl")

            def ctl(*a, stdin=None):
                import subprocess
                result = subprocess.run([promailctl, "--socket", args.socket, *a], input=stdin, text=True,
                                        capture_output=True, timeout=60)
                return result
    else:
        own = OwnDaemon(args.bin_dir, args.keep)
        port, pid, ctl = own.port, own.pid, own.ctl

    try:
        if ctl:
            ctl("domain", "add", args.domain)
            for i in range(args.mailboxes):
                ctl("mailbox", "add", f"user{i}@{args.domain}", "--password-stdin", stdin=PASSWORD + "\n")
        messages = Messages(min(args.messages, 64), args.min_size, args.max_size, args.seed)
        stats = Stats()
        rss_before = peak_rss_kib(pid) if pid else None
        start = time.monotonic()
        deadline = start + args.time_limit
        threads = [threading.Thread(target=worker, args=(args, port, messages, stats, deadline, args.seed + i))
                   for i in range(args.connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
        rss = peak_rss_kib(pid) if pid else None
        stored = own.stored_messages() if own else None
    finally:
        if own:
            own.stop()

    print(f"connections {args.connections}, messages {args.messages} ({args.min_size}-{args.max_size} bytes), "
          f"{args.per_session} per session, {args.mailboxes} mailboxes")
    print(f"accepted    {stats.accepted} in {elapsed:.2f} s = {stats.accepted / elapsed:.1f} msgs/s "
          f"({stats.bytes / elapsed / 1048576:.2f} MiB/s)")
    if stats.refused:
        print(f"refused     {stats.refused}; first: {stats.errors[:3]}")
    print(f"latency     p50 {percentile(stats.latencies, 0.50) * 1000:.1f} ms, "
          f"p99 {percentile(stats.latencies, 0.99) * 1000:.1f} ms (end of data to 250)")
    if rss is not None:
        print(f"peak RSS    {rss / 1024:.1f} MiB (VmHWM of pid {pid}; {rss_before / 1024:.1f} MiB before sending)")
    if stored is not None:
        print(f"stored      {stored} messages in the mail store")
        if stored != stats.accepted:
            print("WARNING: stored count differs from accepted count", file=sys.stderr)
            return 1
    return 0 if stats.accepted > 0 and not stats.refused else 1


if __name__ == "__main__":
    sys.exit(main())
