"""Golden SMTP transcripts (STYLE.md §14): every tests/protocol/smtp/NAME.in is played against a
fresh promaild and the server's replies must equal NAME.expected exactly.

NAME.in is what the client sends, one line per line, each sent with CRLF. Lines are collected
and sent together (pipelined) when a directive needs the server's answer. Directives:

    --- port smtp|submission|submissions   port of the connection (default smtp); must come
                                           before the first line sent. submissions is implicit TLS.
    --- setup ARGS...                      run `promailctl ARGS` before connecting (shell-style
                                           quoting); stdin is PASSWORD, for --password-stdin
    --- expect N                           send what is collected, then read N replies
    --- wait                               send what is collected, then read replies until the
                                           server has been quiet for QUIET seconds
    --- raw EXPRESSION                     collect these bytes as they are: a Python bytes
                                           expression such as b"body\n.\n" or b"x" * 5000
                                           (bare LF/CR, BDAT payloads, long lines)
    --- starttls                           send what is collected, then start TLS on the socket
    # text                                 a comment (SMTP commands never start with "#")

The greeting is read on connecting. At the end of the file what is collected is sent and replies
are read until the server closes the connection (a transcript ends with QUIT or a server-side
close); a server that stays open adds the line "--- connection still open".

NAME.expected holds the reply lines in order, without CRLF. Dynamic parts are normalised:
queue ids become QUEUEID.

Set PROMAIL_TRANSCRIPTS=name,name to run some transcripts only, and PROMAIL_UPDATE_TRANSCRIPTS=1
to write the .expected files from the server's current replies (then review every line against
the RFCs before keeping them).
"""
import difflib
import glob
import os
import re
import shlex
import socket
import ssl
import time
import unittest

from promail_harness import SOURCE_DIR, MailDaemonTestCase, service_ports

PASSWORD = "correct horse battery"
TRANSCRIPT_DIR = os.path.join(SOURCE_DIR, "tests", "protocol", "smtp")
REPLY_TIMEOUT = 15
QUIET = 0.5
NORMALISE = [(re.compile(r"queued as [0-9A-Z]+"), "queued as QUEUEID")]


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Connection:
    def __init__(self, port, implicit_tls):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=REPLY_TIMEOUT)
        if implicit_tls:
            self.sock = tls_context().wrap_socket(self.sock, server_hostname="mail.example.org")
        self.buffer = b""
        self.closed = False

    def send(self, data):
        if data:
            self.sock.sendall(data)

    def _fill(self, timeout):
        self.sock.settimeout(timeout)
        try:
            chunk = self.sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError, ssl.SSLEOFError):
            chunk = b""
        if not chunk:
            self.closed = True
        self.buffer += chunk
        return bool(chunk)

    def read_reply(self, timeout=REPLY_TIMEOUT):
        """One complete reply as a list of lines; [] when the server closed or stayed silent."""
        lines = []
        deadline = time.monotonic() + timeout
        while True:
            while b"\r\n" not in self.buffer:
                remaining = deadline - time.monotonic()
                if self.closed or remaining <= 0:
                    if self.buffer:
                        lines.append(self.buffer.decode("utf-8", "replace") + "  [no CRLF]")
                        self.buffer = b""
                    return lines
                try:
                    self._fill(remaining)
                except (socket.timeout, TimeoutError):
                    return lines + ([self.buffer.decode("utf-8", "replace") + "  [incomplete]"] if self.buffer else [])
            line, self.buffer = self.buffer.split(b"\r\n", 1)
            lines.append(line.decode("utf-8", "replace"))
            if len(line) < 4 or line[3:4] != b"-":
                return lines

    def starttls(self):
        if self.buffer:
            raise AssertionError(f"bytes after the STARTTLS reply: {self.buffer!r}")
        self.sock = tls_context().wrap_socket(self.sock, server_hostname="mail.example.org")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Transcript:
    """Plays one .in file against the daemon and returns the reply lines."""

    def __init__(self, path, daemon, ports):
        self.path = path
        self.daemon = daemon
        self.ports = ports
        self.port_name = "smtp"
        self.connection = None
        self.pending = b""
        self.output = []

    def connect(self):
        if self.connection is None:
            self.connection = Connection(self.ports[self.port_name], self.port_name == "submissions")
            self.output += self.connection.read_reply()

    def flush(self):
        self.connect()
        self.connection.send(self.pending)
        self.pending = b""

    def run(self):
        with open(self.path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        try:
            for number, line in enumerate(lines, 1):
                self.step(line, number)
            self.flush()
            while True:
                reply = self.connection.read_reply()
                if not reply:
                    break
                self.output += reply
            if not self.connection.closed:
                self.output.append("--- connection still open")
        finally:
            if self.connection:
                self.connection.close()
        return [self.normalise(line) for line in self.output]

    def step(self, line, number):
        if line.startswith("# "):
            return
        if not line.startswith("--- "):
            self.pending += line.encode("utf-8") + b"\r\n"
            return
        directive, _, argument = line[4:].partition(" ")
        if directive == "port":
            if self.connection is not None:
                raise AssertionError(f"line {number}: --- port after the connection was opened")
            self.port_name = argument.strip()
        elif directive == "setup":
            self.daemon.ctl(*shlex.split(argument), stdin=PASSWORD + "\n", check=0)
        elif directive == "expect":
            self.flush()
            for _ in range(int(argument)):
                reply = self.connection.read_reply()
                if not reply:
                    self.output.append("--- no reply")
                    break
                self.output += reply
        elif directive == "wait":
            self.flush()
            while True:
                reply = self.connection.read_reply(QUIET)
                if not reply:
                    break
                self.output += reply
        elif directive == "raw":
            data = eval(argument, {"__builtins__": {}})  # the transcript's own bytes expression
            if not isinstance(data, bytes):
                raise AssertionError(f"line {number}: --- raw needs a bytes expression")
            self.pending += data
        elif directive == "starttls":
            self.flush()
            self.connection.starttls()
        else:
            raise AssertionError(f"line {number}: unknown directive {line!r}")

    @staticmethod
    def normalise(line):
        for pattern, replacement in NORMALISE:
            line = pattern.sub(replacement, line)
        return line


def selected_transcripts():
    paths = sorted(glob.glob(os.path.join(TRANSCRIPT_DIR, "*.in")))
    wanted = os.environ.get("PROMAIL_TRANSCRIPTS")
    if wanted:
        names = set(wanted.split(","))
        paths = [p for p in paths if os.path.splitext(os.path.basename(p))[0] in names]
    return paths


class SmtpTranscripts(MailDaemonTestCase):
    def start_daemon_named(self, name):
        self.ports = service_ports(self.SERVICES)
        listen = "".join(f"{service} = 127.0.0.1:{port}\n" for service, port in self.ports.items())
        daemon = self.new_daemon(f"[listen]\n{listen}\n", name=name)
        daemon.start()
        return daemon

    def test_transcripts(self):
        paths = selected_transcripts()
        self.assertGreater(len(paths), 0, f"no transcripts in {TRANSCRIPT_DIR}")
        update = os.environ.get("PROMAIL_UPDATE_TRANSCRIPTS") == "1"
        for path in paths:
            name = os.path.splitext(os.path.basename(path))[0]
            with self.subTest(transcript=name):
                daemon = self.start_daemon_named(name)
                try:
                    actual = Transcript(path, daemon, self.ports).run()
                finally:
                    daemon.stop()
                expected_path = os.path.splitext(path)[0] + ".expected"
                if update:
                    with open(expected_path, "w", encoding="utf-8") as f:
                        f.write("\n".join(actual) + "\n")
                    continue
                with open(expected_path, encoding="utf-8") as f:
                    expected = f.read().split("\n")
                if expected and expected[-1] == "":
                    expected.pop()
                if actual != expected:
                    diff = "\n".join(difflib.unified_diff(expected, actual, f"{name}.expected", f"{name} (server)",
                                                          lineterm=""))
                    self.fail(f"transcript {name} differs:\n{diff}\n--- daemon log ---\n{daemon.log_text()[-3000:]}")


if __name__ == "__main__":
    unittest.main()
