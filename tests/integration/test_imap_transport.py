"""The IMAP transport through the real promaild over real sockets: COMPRESS=DEFLATE (RFC 4978),
BINARY (RFC 3516), LITERAL- (RFC 7888) and the limits of issue 4 (literal sizes checked before
"+", command length, connections per user)."""
import base64
import imaplib
import os
import re
import smtplib
import socket
import ssl
import time
import unittest
import zlib

from promail_harness import MailDaemonTestCase

PASSWORD = "correct horse battery"
ALICE = "alice@example.org"


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class RawImap:
    """A byte-level IMAP client: sends exactly what a test writes, optionally through a raw
    deflate layer (RFC 4978), and reads responses with their literals."""

    def __init__(self, port, tls=True):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        if tls:
            self.sock = tls_context().wrap_socket(self.sock)
        self.buffer = b""
        self.deflater = None
        self.inflater = None
        self.received = 0  # bytes off the wire, compressed or not
        self.greeting = self.line()

    def start_tls(self):
        self.sock = tls_context().wrap_socket(self.sock)

    def start_compression(self, wbits=-15):
        self.deflater = zlib.compressobj(wbits=wbits)
        self.inflater = zlib.decompressobj(wbits=-15)

    def compress(self, data):
        return self.deflater.compress(data) + self.deflater.flush(zlib.Z_SYNC_FLUSH)

    def send(self, data):
        self.sock.sendall(self.compress(data) if self.deflater else data)

    def fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self.received += len(chunk)
        self.buffer += self.inflater.decompress(chunk) if self.inflater else chunk
        return True

    def line(self):
        """One line with its CRLF, or None when the server closed the connection."""
        while b"\r\n" not in self.buffer:
            if not self.fill():
                return None
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line + b"\r\n"

    def exact(self, count):
        while len(self.buffer) < count:
            if not self.fill():
                raise AssertionError("connection closed inside a literal")
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def response(self, tag):
        """Every line up to the tagged one, literals inline."""
        result = b""
        while True:
            line = self.line()
            if line is None:
                raise AssertionError(f"connection closed; so far: {result!r}")
            result += line
            literal = re.search(rb"~?\{(\d+)\}\r\n$", line)
            if literal:
                result += self.exact(int(literal.group(1)))
                continue
            if line.startswith(tag + b" "):
                return result

    def command(self, tag, text):
        self.send(tag + b" " + text + b"\r\n")
        return self.response(tag)

    def login(self):
        self.assertOk(self.command(b"l", b'LOGIN "' + ALICE.encode() + b'" "' + PASSWORD.encode() + b'"'))

    @staticmethod
    def assertOk(response):
        if not response.split(b"\r\n")[-2].split(b" ")[1] == b"OK":
            raise AssertionError(response)

    def closed(self):
        try:
            while self.fill():
                pass
        except (ConnectionError, ssl.SSLError):
            pass
        return True

    def close(self):
        self.sock.close()


class TransportTestBase(MailDaemonTestCase):
    SERVICES = ("smtp", "imap", "imaps")

    def setUp(self):
        super().setUp()
        self.start_mail_daemon()
        d = self.daemon
        d.ctl("domain", "add", "example.org", check=0)
        d.ctl("mailbox", "add", ALICE, "--password-stdin", stdin=PASSWORD + "\n", check=0)

    def deliver(self, data):
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            self.assertEqual(client.sendmail("sender@remote.example.net", [ALICE], data), {})

    def raw(self, login=True):
        client = RawImap(self.ports["imaps"])
        self.addCleanup(client.close)
        if login:
            client.login()
        return client

    def imaps(self):
        client = imaplib.IMAP4_SSL("127.0.0.1", self.ports["imaps"], ssl_context=tls_context(), timeout=10)
        client.login(ALICE, PASSWORD)
        return client


def text_message(subject, body):
    return (f"From: sender@remote.example.net\r\nTo: {ALICE}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{time.time_ns()}@test.example>\r\n\r\n").encode() + body


class Compress(TransportTestBase):
    def test_rfc4978_example_and_a_large_fetch(self):
        # A large, compressible message: the FETCH streams through the deflate layer in pieces.
        body = b"".join(b"Line %06d of a long and repetitive message body.\r\n" % i for i in range(8000))
        sent = text_message("Large", body)
        self.deliver(sent)
        client = self.raw()
        self.assertIn(b"COMPRESS=DEFLATE", client.command(b"c", b"CAPABILITY"))
        # RFC 4978 §3 example.
        self.assertEqual(client.command(b"a", b"COMPRESS DEFLATE"), b"a OK DEFLATE active\r\n")
        client.start_compression()
        self.assertEqual(client.command(b"b", b"NOOP"), b"b OK NOOP completed\r\n")
        self.assertIn(b"* 1 EXISTS\r\n", client.command(b"s", b"SELECT INBOX"))
        before = client.received
        fetched = client.command(b"f", b"FETCH 1 BODY.PEEK[]")
        # The stored copy starts with the trace fields delivery added (Return-Path, Received).
        match = re.match(rb"\* 1 FETCH \(BODY\[\] \{(\d+)\}\r\n", fetched)
        self.assertIsNotNone(match, fetched[:100])
        stored = fetched[match.end():match.end() + int(match.group(1))]
        self.assertTrue(stored.endswith(sent))
        self.assertEqual(fetched[match.end() + len(stored):], b")\r\nf OK FETCH completed\r\n")
        # The server's side really is compressed: far fewer bytes came over the wire.
        self.assertLess(client.received - before, len(sent) // 5)
        self.assertIn(b"z OK LOGOUT completed\r\n", client.command(b"z", b"LOGOUT"))

    def test_errors(self):
        client = RawImap(self.ports["imaps"])
        self.addCleanup(client.close)
        # Not before login (RFC 4978 §3: authenticated and selected states).
        self.assertEqual(client.command(b"a", b"COMPRESS DEFLATE"), b"a BAD Command not valid in this state\r\n")
        client.login()
        self.assertEqual(client.command(b"b", b"COMPRESS GZIP"), b"b BAD Unknown compression mechanism\r\n")
        self.assertTrue(client.command(b"c", b"COMPRESS").startswith(b"c BAD Syntax error"))
        self.assertTrue(client.command(b"d", b"COMPRESS DEFLATE X").startswith(b"d BAD Syntax error"))
        self.assertEqual(client.command(b"e", b"COMPRESS deflate"), b"e OK DEFLATE active\r\n")
        client.start_compression()
        self.assertEqual(client.command(b"f", b"COMPRESS DEFLATE"),
                         b"f NO [COMPRESSIONACTIVE] DEFLATE is active already\r\n")
        self.assertEqual(client.command(b"g", b"NOOP"), b"g OK NOOP completed\r\n")

    def test_corrupt_stream_ends_the_session(self):
        client = self.raw()
        self.assertEqual(client.command(b"a", b"COMPRESS DEFLATE"), b"a OK DEFLATE active\r\n")
        client.start_compression()
        client.sock.sendall(b"\xff\xff\xff\xff garbage that is not deflate")
        self.assertEqual(client.line(), b"* BYE [PARSE] Cannot decompress the input\r\n")
        self.assertIsNone(client.line())

    def test_commands_pipelined_behind_compress(self):
        # The bytes after the COMPRESS line are compressed, even when they arrive with it.
        client = self.raw()
        client.start_compression()
        client.sock.sendall(b"a COMPRESS DEFLATE\r\n" + client.compress(b"b NOOP\r\nc CAPABILITY\r\n"))
        client.inflater = None  # the OK itself is not compressed; what follows it is
        self.assertEqual(client.line(), b"a OK DEFLATE active\r\n")
        client.inflater = zlib.decompressobj(wbits=-15)
        client.buffer = client.inflater.decompress(client.buffer)
        self.assertEqual(client.response(b"b"), b"b OK NOOP completed\r\n")
        self.assertIn(b"c OK CAPABILITY completed\r\n", client.response(b"c"))

    def test_after_starttls_with_a_small_client_window(self):
        client = RawImap(self.ports["imap"], tls=False)
        self.addCleanup(client.close)
        self.assertEqual(client.command(b"t", b"STARTTLS"), b"t OK Begin TLS negotiation now\r\n")
        client.start_tls()
        client.login()
        self.assertEqual(client.command(b"a", b"COMPRESS DEFLATE"), b"a OK DEFLATE active\r\n")
        client.start_compression(wbits=-9)
        self.assertIn(b"* LIST (\\HasNoChildren \\Junk) \"/\" \"Spam\"\r\n", client.command(b"l", b'LIST "" "*"'))

    def test_two_sessions_idle_through_compression(self):
        watcher = self.raw()
        self.assertEqual(watcher.command(b"a", b"COMPRESS DEFLATE"), b"a OK DEFLATE active\r\n")
        watcher.start_compression()
        watcher.command(b"s", b"SELECT INBOX")
        watcher.send(b"i IDLE\r\n")
        self.assertEqual(watcher.line(), b"+ idling\r\n")
        # A second, uncompressed session on the same mailbox appends a message.
        other = self.imaps()
        self.assertEqual(other.append("INBOX", None, None, text_message("Appended", b"Hi.\r\n"))[0], "OK")
        other.logout()
        self.assertEqual(watcher.line(), b"* 1 EXISTS\r\n")
        watcher.send(b"DONE\r\n")
        self.assertIn(b"i OK IDLE terminated\r\n", watcher.response(b"i"))


OCTETS = bytes(range(256))
MIME = (b"From: sender@remote.example.net\r\nTo: alice@example.org\r\nSubject: Parts\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"caf=C3=A9 =3D 1\r\na soft=\r\nbreak\r\n"
        b"--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(OCTETS).replace(b"\n", b"\r\n") +
        b"--b1\r\nContent-Type: application/x-thing\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n"
        b"begin 644 thing\r\nend\r\n"
        b"--b1\r\nContent-Type: text/plain\r\n\r\nPlain 7bit.\r\n"
        b"--b1--\r\n")
# The CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1), not to the part.
QP_DECODED = "café = 1\r\na softbreak".encode()


class Binary(TransportTestBase):
    def setUp(self):
        super().setUp()
        self.deliver(MIME)
        self.client = self.raw()
        self.assertIn(b"BINARY", self.client.command(b"c", b"CAPABILITY"))
        self.client.command(b"s", b"SELECT INBOX")

    def fetch(self, items):
        return self.client.command(b"f", b"FETCH 1 " + items)

    def test_rfc3516_decoded_parts_and_sizes(self):
        self.assertEqual(self.fetch(b"(BINARY.SIZE[1] BINARY.PEEK[1])"),
                         b"* 1 FETCH (BINARY.SIZE[1] %d BINARY[1] {%d}\r\n" % (len(QP_DECODED), len(QP_DECODED))
                         + QP_DECODED + b")\r\nf OK FETCH completed\r\n")
        # NUL octets travel only in a literal8 (RFC 3516 §4.2).
        self.assertEqual(self.fetch(b"(BINARY.SIZE[2] BINARY.PEEK[2])"),
                         b"* 1 FETCH (BINARY.SIZE[2] 256 BINARY[2] ~{256}\r\n" + OCTETS
                         + b")\r\nf OK FETCH completed\r\n")
        # A partial without NUL in it is a plain literal; a partial past the end is empty.
        self.assertEqual(self.fetch(b"BINARY.PEEK[2]<10.20>"),
                         b"* 1 FETCH (BINARY[2]<10> {20}\r\n" + OCTETS[10:30] + b")\r\nf OK FETCH completed\r\n")
        self.assertEqual(self.fetch(b"BINARY.PEEK[2]<250.100>"),
                         b"* 1 FETCH (BINARY[2]<250> {6}\r\n" + OCTETS[250:] + b")\r\nf OK FETCH completed\r\n")
        self.assertEqual(self.fetch(b"BINARY.PEEK[2]<0.3>"),
                         b"* 1 FETCH (BINARY[2]<0> ~{3}\r\n" + OCTETS[:3] + b")\r\nf OK FETCH completed\r\n")
        self.assertEqual(self.fetch(b"BINARY.PEEK[2]<999.1>"),
                         b"* 1 FETCH (BINARY[2]<999> {0}\r\n)\r\nf OK FETCH completed\r\n")
        # 7bit is its own decoding; a part that does not exist is empty.
        self.assertEqual(self.fetch(b"(BINARY.PEEK[4] BINARY.SIZE[9])"),
                         b"* 1 FETCH (BINARY[4] {11}\r\nPlain 7bit. BINARY.SIZE[9] 0)\r\nf OK FETCH completed\r\n")
        # BINARY without .PEEK sets \Seen, like BODY[].
        self.assertEqual(self.fetch(b"FLAGS"), b"* 1 FETCH (FLAGS ())\r\nf OK FETCH completed\r\n")
        self.assertEqual(self.fetch(b"BINARY[1]<0.4>"),
                         b"* 1 FETCH (BINARY[1]<0> {4}\r\ncaf\xc3 FLAGS (\\Seen))\r\nf OK FETCH completed\r\n")

    def test_unknown_transfer_encoding_and_syntax_errors(self):
        self.assertEqual(self.fetch(b"BINARY.PEEK[3]"),
                         b"f NO [UNKNOWN-CTE] Cannot decode the Content-Transfer-Encoding of a part\r\n")
        self.assertEqual(self.fetch(b"BINARY.SIZE[3]"),
                         b"f NO [UNKNOWN-CTE] Cannot decode the Content-Transfer-Encoding of a part\r\n")
        for items in (b"BINARY[HEADER]", b"BINARY[1.]", b"BINARY[0]", b"BINARY.SIZE[1]<0.5>", b"BINARY[1]<0.0>",
                      b"BINARY.PEEK", b"BINARY.SIZE"):
            response = self.fetch(items)
            self.assertTrue(response.startswith(b"f BAD Syntax error"), (items, response))
        # Nothing was marked \Seen by the failed commands.
        self.assertEqual(self.fetch(b"FLAGS"), b"* 1 FETCH (FLAGS ())\r\nf OK FETCH completed\r\n")

    def test_append_literal8_with_nul_octets(self):
        data = b"From: a@example.net\r\nSubject: raw\r\nContent-Transfer-Encoding: binary\r\n\r\nNUL:\x00 end\r\n"
        self.client.send(b"a APPEND INBOX ~{%d}\r\n" % len(data))
        self.assertEqual(self.client.line(), b"+ Ready for literal data\r\n")
        self.client.send(data + b"\r\n")
        response = self.client.response(b"a")
        self.assertIn(b"* 2 EXISTS\r\n", response)
        self.assertRegex(response, rb"a OK \[APPENDUID \d+ 2\] APPEND completed\r\n$")
        self.assertEqual(self.client.command(b"f", b"FETCH 2 (BINARY.SIZE[] BINARY.PEEK[])"),
                         b"* 2 FETCH (BINARY.SIZE[] %d BINARY[] ~{%d}\r\n" % (len(data), len(data)) + data
                         + b")\r\nf OK FETCH completed\r\n")
        # A plain literal may not carry NUL (RFC 9051 CHAR8): nothing is stored.
        self.client.send(b"b APPEND INBOX {%d}\r\n" % len(data))
        self.assertEqual(self.client.line(), b"+ Ready for literal data\r\n")
        self.client.send(data + b"\r\n")
        self.assertEqual(self.client.response(b"b"),
                         b"b BAD A message with NUL octets must be sent as a literal8 (~{n})\r\n")
        self.assertEqual(self.client.command(b"n", b"NOOP"), b"n OK NOOP completed\r\n")


class LiteralMinus(TransportTestBase):
    def test_non_synchronizing_literals_up_to_4096_octets(self):
        client = RawImap(self.ports["imaps"])
        self.addCleanup(client.close)
        self.assertIn(b" LITERAL- ", client.greeting)
        # RFC 7888 §3 example shape: no "+" between the literals.
        self.assertIn(b"a OK [CAPABILITY", client.command(
            b"a", b"LOGIN {%d+}\r\n%s {%d+}\r\n%s" % (len(ALICE), ALICE.encode(), len(PASSWORD), PASSWORD.encode())))
        message = text_message("Non-sync", b"x" * 3000 + b"\r\n")
        message += b"y" * (4096 - len(message))
        response = client.command(b"b", b"APPEND INBOX {4096+}\r\n" + message)
        self.assertRegex(response, rb"^b OK \[APPENDUID \d+ 1\] APPEND completed\r\n$")
        # One octet more: BAD [TOOBIG], and the session ends, since the octets that follow
        # could otherwise be read as commands.
        client.send(b"c APPEND INBOX {4097+}\r\n")
        self.assertEqual(client.line(),
                         b"c BAD [TOOBIG] Non-synchronizing literals hold at most 4096 octets (LITERAL-)\r\n")
        self.assertEqual(client.line(), b"* BYE [TOOBIG] Literal too large\r\n")
        self.assertIsNone(client.line())
        # A synchronizing literal of the same size is fine, and nothing of the refused one was stored.
        other = self.raw()
        other.send(b"d APPEND INBOX {4097}\r\n")
        self.assertEqual(other.line(), b"+ Ready for literal data\r\n")
        other.send(message + b"z\r\n")
        self.assertRegex(other.response(b"d"), rb"d OK \[APPENDUID \d+ 2\]")
        self.assertIn(b"* 2 EXISTS\r\n", other.command(b"s", b"SELECT INBOX"))


class Limits(TransportTestBase):
    def test_command_line_too_long_then_the_session_goes_on(self):
        client = self.raw()
        client.send(b"a NOOP " + b"x" * (70 * 1024) + b"\r\n")
        self.assertEqual(client.line(), b"a BAD Command line too long\r\n")
        self.assertEqual(client.command(b"b", b"NOOP"), b"b OK NOOP completed\r\n")

    def test_literal_size_checked_before_continuation(self):
        # Before login APPEND's message has the small limit of every literal: nobody can make the
        # server take in megabytes without a password.
        anonymous = self.raw(login=False)
        self.assertEqual(anonymous.command(b"a", b"APPEND INBOX {70000}"), b"a NO [TOOBIG] Literal too large\r\n")
        client = self.raw()
        client.send(b"a APPEND INBOX {70000}\r\n")
        self.assertEqual(client.line(), b"+ Ready for literal data\r\n")
        client.send(text_message("After login", b"w" * 70000)[:70000] + b"\r\n")
        self.assertRegex(client.response(b"a"), rb"^a OK \[APPENDUID \d+ 1\] APPEND completed\r\n$")
        # Over the 64 KiB limit of a literal outside APPEND: refused without "+".
        self.assertEqual(client.command(b"a", b"SELECT {70000}"), b"a NO [TOOBIG] Literal too large\r\n")
        # Many literals that each fit cannot add up beyond the command limit.
        chunk = b"x" * 60000
        client.send(b"b LOGIN {60000}\r\n")
        refused = None
        for _ in range(6):
            line = client.line()
            if line != b"+ Ready for literal data\r\n":
                refused = line
                break
            client.send(chunk + b" {60000}\r\n")
        self.assertEqual(refused, b"b NO [TOOBIG] Literal too large\r\n")
        self.assertEqual(client.command(b"c", b"NOOP"), b"c OK NOOP completed\r\n")

    def test_large_append_is_written_to_disk_as_it_arrives(self):
        def peak_rss_kib():
            with open(f"/proc/{self.daemon.process.pid}/status") as f:
                return int(next(line for line in f if line.startswith("VmHWM:")).split()[1])

        client = self.raw()
        body = b"".join(b"%08d %s\r\n" % (i, b"z" * 60) for i in range(300000))  # about 20 MiB
        data = text_message("Large append", body)
        before = peak_rss_kib()
        client.send(b"a APPEND INBOX {%d}\r\n" % len(data))
        self.assertEqual(client.line(), b"+ Ready for literal data\r\n")
        client.send(data + b"\r\n")
        self.assertRegex(client.response(b"a"), rb"^a OK \[APPENDUID \d+ 1\] APPEND completed\r\n$")
        # The message never sat in the daemon's memory: its peak grew by far less than its size.
        self.assertLess(peak_rss_kib() - before, len(data) // 1024 // 3)
        # Stored whole, and nothing is left behind in the incoming directory.
        [stored] = self.mailbox_messages(ALICE)
        self.assertEqual(stored, data)
        self.assertEqual(os.listdir(os.path.join(self.daemon.data_dir, "incoming")), [])
        # A message with NUL written the same way still needs a literal8.
        client.send(b"b APPEND INBOX {%d}\r\n" % len(data))
        self.assertEqual(client.line(), b"+ Ready for literal data\r\n")
        client.send(data[:1000] + b"\x00" + data[1001:] + b"\r\n")
        self.assertEqual(client.response(b"b"), b"b BAD A message with NUL octets must be sent as a literal8 (~{n})\r\n")
        self.assertEqual(len(self.mailbox_messages(ALICE)), 1)

    def test_connections_per_user(self):
        self.daemon.ctl("settings", "set", "imap.max_connections_per_user", "2", check=0)
        first = self.imaps()
        second = RawImap(self.ports["imap"], tls=False)
        self.addCleanup(second.close)
        second.command(b"t", b"STARTTLS")
        second.start_tls()
        second.login()
        third = self.raw(login=False)
        self.assertEqual(third.command(b"l", b'LOGIN "' + ALICE.encode() + b'" "' + PASSWORD.encode() + b'"'),
                         b"l NO [LIMIT] Too many IMAP connections for this mailbox\r\n")
        # The refused session stays open, not logged in; once another ends, it may log in.
        self.assertEqual(third.command(b"n", b"SELECT INBOX"), b"n BAD Command not valid in this state\r\n")
        first.logout()
        deadline = time.time() + 5
        while True:
            response = third.command(b"m", b'LOGIN "' + ALICE.encode() + b'" "' + PASSWORD.encode() + b'"')
            if b"m OK" in response or time.time() > deadline:
                break
            time.sleep(0.1)
        self.assertIn(b"m OK [CAPABILITY", response)


if __name__ == "__main__":
    unittest.main()
