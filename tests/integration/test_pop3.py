"""POP3 on the pop3 (STLS) and pop3s ports through the real promaild, driven by Python's poplib,
raw sockets and curl: logins only over TLS, RFC 1939 commands against mail sent over SMTP,
deletions only on QUIT, the exclusive maildrop, POP3 access per mailbox and the ban list."""
import base64
import json
import os
import poplib
import smtplib
import socket
import sqlite3
import ssl
import subprocess
import threading
import time
import unittest

from promail_harness import MailDaemonTestCase

PASSWORD = "correct horse battery"
ALICE = "alice@example.org"

CAPA_COMMON = ["TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"]
CAPA_BEFORE_TLS = CAPA_COMMON + ["STLS"]
CAPA_TLS = CAPA_COMMON + ["USER", "SASL PLAIN LOGIN"]
PLAINTEXT_REFUSED = "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections; use STLS first"


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def message(subject, body):
    return (f"From: sender@remote.example.net\r\nTo: {ALICE}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{time.time_ns()}@test.example>\r\n\r\n{body}").encode()


def plain(user, password):
    return base64.b64encode(f"\0{user}\0{password}".encode()).decode()


class RawPop3:
    """A line-level POP3 client for literal transcripts (what poplib hides or refuses to send)."""

    def __init__(self, port, tls=False):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        if tls:
            self.sock = tls_context().wrap_socket(self.sock, server_hostname="mail.example.org")
        self.buffer = b""
        self.greeting = self.line()

    def fill(self):
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def line(self):
        """One response line without its CRLF, or None when the server has closed."""
        while b"\r\n" not in self.buffer:
            if not self.fill():
                return None
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line.decode("utf-8")

    def lines(self):
        """The lines of a multi-line response up to its terminating '.', still byte-stuffed."""
        result = []
        while (line := self.line()) != ".":
            if line is None:
                raise AssertionError(f"connection closed inside a multi-line response after {result}")
            result.append(line)
        return result

    def raw_response(self):
        """The bytes of a whole multi-line response, status line and terminator included."""
        while b"\r\n.\r\n" not in self.buffer:
            if not self.fill():
                raise AssertionError(f"connection closed inside a multi-line response: {self.buffer[-200:]!r}")
        end = self.buffer.index(b"\r\n.\r\n") + 5
        response, self.buffer = self.buffer[:end], self.buffer[end:]
        return response

    def send(self, data):
        self.sock.sendall(data)

    def command(self, text):
        self.send(text.encode() + b"\r\n")
        return self.line()

    def long_command(self, text):
        status = self.command(text)
        return status, (self.lines() if status.startswith("+OK") else None)

    def stls(self):
        status = self.command("STLS")
        self.sock = tls_context().wrap_socket(self.sock, server_hostname="mail.example.org")
        return status

    def is_closed(self):
        try:
            return self.sock.recv(1) == b""
        except (ConnectionResetError, ssl.SSLError):
            return True

    def close(self):
        self.sock.close()


class Pop3TestBase(MailDaemonTestCase):
    SERVICES = ("smtp", "pop3", "pop3s")

    def setUp(self):
        super().setUp()
        self.start_mail_daemon()
        d = self.daemon
        d.ctl("domain", "add", "example.org", check=0)
        d.ctl("mailbox", "add", ALICE, "--password-stdin", "--pop3", "true", stdin=PASSWORD + "\n", check=0)
        # POP3 access is off unless an admin turns it on (seed 001).
        d.ctl("mailbox", "add", "bob@example.org", "--password-stdin", stdin=PASSWORD + "\n", check=0)

    def deliver(self, subject, body="Hello.\r\n", to=ALICE):
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            self.assertEqual(client.sendmail("sender@remote.example.net", [to], message(subject, body)), {})

    def pop3(self):
        client = poplib.POP3("127.0.0.1", self.ports["pop3"], timeout=10)
        client.stls(context=tls_context())
        return client

    def login(self, user=ALICE, password=PASSWORD):
        """A poplib session after STLS and USER/PASS; waits while a dropped session's lock goes."""
        deadline = time.time() + 5
        while True:
            client = self.pop3()
            client.user(user)
            try:
                client.pass_(password)
                return client
            except poplib.error_proto as error:
                client.close()
                if not error.args[0].startswith(b"-ERR [IN-USE]") or time.time() > deadline:
                    raise
                time.sleep(0.05)

    def raw_login(self, user=ALICE):
        raw = RawPop3(self.ports["pop3s"], tls=True)
        self.assertEqual(raw.command("USER " + user), "+OK Send your password")
        status = raw.command("PASS " + PASSWORD)
        self.assertTrue(status.startswith("+OK Logged in; "), status)
        return raw

    def usage(self, address=ALICE):
        local, domain = address.split("@")
        db = sqlite3.connect(f"file:{self.daemon.data_dir}/promail.db?mode=ro", uri=True)
        try:
            return db.execute("SELECT u.bytes, u.messages FROM mailbox_usage u JOIN mailboxes b ON b.id = u.mailbox_id "
                              "JOIN domains d ON d.id = b.domain_id WHERE b.local_part = ? AND d.name = ?",
                              (local, domain)).fetchone()
        finally:
            db.close()

    def message_files(self, address=ALICE):
        local, domain = address.split("@")
        base = os.path.join(self.daemon.data_dir, "mail", domain, local)
        found = []
        for root, _, names in os.walk(base):
            if os.path.basename(root) in ("new", "cur"):
                found.extend(os.path.join(root, name) for name in names)
        return sorted(found)

    def bans(self):
        listed = json.loads(self.daemon.ctl("--json", "ban", "list", check=0).stdout)
        return listed["items"] if isinstance(listed, dict) else listed


class Capabilities(Pop3TestBase):
    def test_capa_before_and_after_tls_and_login(self):
        raw = RawPop3(self.ports["pop3"])
        self.assertEqual(raw.greeting, "+OK mail.example.org ProMail POP3 ready")
        self.assertEqual(raw.long_command("CAPA"), ("+OK Capability list follows", CAPA_BEFORE_TLS))
        self.assertEqual(raw.stls(), "+OK Begin TLS negotiation")
        self.assertEqual(raw.long_command("CAPA"), ("+OK Capability list follows", CAPA_TLS))
        self.assertEqual(raw.command("STLS"), "-ERR Command not permitted when TLS active")
        self.assertEqual(raw.command("USER " + ALICE), "+OK Send your password")
        self.assertEqual(raw.command("PASS " + PASSWORD), "+OK Logged in; 0 messages (0 octets)")
        self.assertEqual(raw.long_command("CAPA"), ("+OK Capability list follows", CAPA_COMMON))
        self.assertEqual(raw.command("STLS"), "-ERR Command not valid in this state")
        self.assertEqual(raw.command("QUIT"), "+OK Bye; 0 messages left")
        self.assertTrue(raw.is_closed())
        raw.close()

        implicit = RawPop3(self.ports["pop3s"], tls=True)
        self.assertEqual(implicit.greeting, "+OK mail.example.org ProMail POP3 ready")
        self.assertEqual(implicit.long_command("CAPA"), ("+OK Capability list follows", CAPA_TLS))
        self.assertEqual(implicit.long_command("AUTH"), ("+OK Supported mechanisms follow", ["PLAIN", "LOGIN"]))
        implicit.close()

    def test_client_that_does_not_read_is_held_back_not_dropped(self):
        raw = RawPop3(self.ports["pop3"])
        count = 50000
        sender = threading.Thread(target=raw.send, args=(b"CAPA\r\n" * count,))
        sender.start()
        time.sleep(1)  # responses pile up unread; the server stops taking commands meanwhile
        one = ("+OK Capability list follows\r\n" + "".join(f"{tag}\r\n" for tag in CAPA_BEFORE_TLS) + ".\r\n").encode()
        while len(raw.buffer) < count * len(one):
            self.assertTrue(raw.fill(), f"closed after {len(raw.buffer)} bytes")
        sender.join(30)
        self.assertEqual(raw.buffer, one * count)
        raw.buffer = b""
        self.assertEqual(raw.command("QUIT"), "+OK Bye")
        raw.close()

    def test_poplib_sees_the_capabilities(self):
        client = poplib.POP3("127.0.0.1", self.ports["pop3"], timeout=10)
        self.assertEqual(client.capa(), {"TOP": [], "UIDL": [], "RESP-CODES": [], "AUTH-RESP-CODE": [],
                                         "PIPELINING": [], "STLS": []})
        client.stls(context=tls_context())
        self.assertEqual(client.capa()["SASL"], ["PLAIN", "LOGIN"])
        self.assertIn("USER", client.capa())
        client.quit()


class Logins(Pop3TestBase):
    def test_login_refused_before_tls_on_the_plain_port(self):
        raw = RawPop3(self.ports["pop3"])
        self.assertEqual(raw.command("USER " + ALICE), PLAINTEXT_REFUSED)
        self.assertEqual(raw.command("PASS " + PASSWORD), PLAINTEXT_REFUSED)
        self.assertEqual(raw.command("AUTH PLAIN " + plain(ALICE, PASSWORD)), PLAINTEXT_REFUSED)
        self.assertEqual(raw.command("AUTH"), PLAINTEXT_REFUSED)
        self.assertEqual(raw.command("STAT"), "-ERR Command not valid in this state")
        self.assertEqual(raw.command("QUIT"), "+OK Bye")
        self.assertTrue(raw.is_closed())
        raw.close()
        client = poplib.POP3("127.0.0.1", self.ports["pop3"], timeout=10)
        with self.assertRaises(poplib.error_proto) as refused:
            client.user(ALICE)
        self.assertEqual(refused.exception.args[0], PLAINTEXT_REFUSED.encode())
        client.quit()
        self.assertEqual(self.bans(), [])

    def test_stls_then_user_pass(self):
        self.deliver("first")
        client = self.pop3()
        self.assertEqual(client.user(ALICE), b"+OK Send your password")
        size = os.path.getsize(self.message_files()[0])
        self.assertEqual(client.pass_(PASSWORD), f"+OK Logged in; 1 messages ({size} octets)".encode())
        self.assertEqual(client.stat(), (1, size))
        self.assertEqual(client.quit(), b"+OK Bye; 1 messages left")

    def test_pop3s_with_poplib(self):
        self.deliver("over implicit TLS")
        client = poplib.POP3_SSL("127.0.0.1", self.ports["pop3s"], context=tls_context(), timeout=10)
        self.assertEqual(client.getwelcome(), b"+OK mail.example.org ProMail POP3 ready")
        client.user(ALICE)
        client.pass_(PASSWORD)
        _, lines, _ = client.retr(1)
        self.assertIn(b"Subject: over implicit TLS", lines)
        client.quit()

    def test_auth_plain_and_login_over_raw_sockets(self):
        raw = RawPop3(self.ports["pop3s"], tls=True)
        # RFC 5034 §4: initial response on the command line.
        self.assertEqual(raw.command("AUTH PLAIN " + plain(ALICE, PASSWORD)), "+OK Logged in; 0 messages (0 octets)")
        self.assertEqual(raw.command("QUIT"), "+OK Bye; 0 messages left")
        raw.close()

        raw = RawPop3(self.ports["pop3"])
        self.assertEqual(raw.stls(), "+OK Begin TLS negotiation")
        # Without an initial response: an empty "+ " challenge, then the response on its own line.
        self.assertEqual(raw.command("AUTH PLAIN"), "+ ")
        self.assertEqual(raw.command("*"), "-ERR Authentication cancelled")
        self.assertEqual(raw.command("AUTH PLAIN"), "+ ")
        self.assertEqual(raw.command("not base64!"), "-ERR Cannot decode the response")
        self.assertEqual(raw.command("AUTH PLAIN " + plain(ALICE, "wrong")), "-ERR [AUTH] Authentication failed")
        self.assertEqual(raw.command("AUTH CRAM-MD5"), "-ERR Unsupported authentication mechanism")
        self.assertEqual(raw.command("AUTH PLAIN ="), "-ERR PLAIN needs authzid NUL authcid NUL password")
        self.assertEqual(raw.command("AUTH PLAIN"), "+ ")
        self.assertEqual(raw.command(plain(ALICE, PASSWORD)), "+OK Logged in; 0 messages (0 octets)")
        self.assertEqual(raw.command("QUIT"), "+OK Bye; 0 messages left")
        raw.close()

        raw = RawPop3(self.ports["pop3s"], tls=True)
        self.assertEqual(raw.command("AUTH LOGIN"), "+ VXNlcm5hbWU6")  # "Username:"
        self.assertEqual(raw.command(base64.b64encode(ALICE.encode()).decode()), "+ UGFzc3dvcmQ6")  # "Password:"
        self.assertEqual(raw.command(base64.b64encode(PASSWORD.encode()).decode()),
                         "+OK Logged in; 0 messages (0 octets)")
        raw.close()

    def test_pop3_access_is_off_by_default(self):
        self.daemon.ctl("settings", "set", "auth.max_failures", "2", check=0)
        shown = json.loads(self.daemon.ctl("--json", "mailbox", "show", "bob@example.org", check=0).stdout)
        self.assertIs(shown["pop3"], False)
        raw = RawPop3(self.ports["pop3s"], tls=True)
        # A correct password is told apart and is not a failed login: no ban however often.
        for _ in range(3):
            self.assertEqual(raw.command("USER bob@example.org"), "+OK Send your password")
            self.assertEqual(raw.command("PASS " + PASSWORD), "-ERR [AUTH] POP3 access is disabled for this mailbox")
        self.assertEqual(raw.command("AUTH PLAIN " + plain("bob@example.org", PASSWORD)),
                         "-ERR [AUTH] POP3 access is disabled for this mailbox")
        self.assertEqual(self.bans(), [])
        self.assertEqual(raw.command("USER bob@example.org"), "+OK Send your password")
        self.assertEqual(raw.command("PASS wrong"), "-ERR [AUTH] Authentication failed")
        self.daemon.ctl("mailbox", "set", "bob@example.org", "--pop3", "true", check=0)
        self.assertEqual(raw.command("USER bob@example.org"), "+OK Send your password")
        self.assertEqual(raw.command("PASS " + PASSWORD), "+OK Logged in; 0 messages (0 octets)")
        raw.close()

    def test_failed_logins_feed_the_ban_list(self):
        self.daemon.ctl("settings", "set", "auth.max_failures", "3", check=0)
        client = self.pop3()
        for _ in range(2):
            client.user(ALICE)
            with self.assertRaises(poplib.error_proto) as failure:
                client.pass_("wrong")
            self.assertEqual(failure.exception.args[0], b"-ERR [AUTH] Authentication failed")
        # The third failure bans the address: SYS/TEMP (not the credentials' fault) and the end.
        client.user(ALICE)
        with self.assertRaises(poplib.error_proto) as banned:
            client.pass_("wrong")
        self.assertEqual(banned.exception.args[0], b"-ERR [SYS/TEMP] Too many failed logins; try later")
        client.close()
        [ban] = self.bans()
        self.assertEqual((ban["address"], ban["service"], ban["failures"]), ("127.0.0.1", "pop3", 3))
        raw = RawPop3(self.ports["pop3s"], tls=True)
        self.assertEqual(raw.greeting, "-ERR [SYS/TEMP] Too many failed logins from your address; try later")
        self.assertTrue(raw.is_closed())
        raw.close()
        self.daemon.ctl("ban", "remove", "127.0.0.1", check=0)
        self.login().quit()

    def test_second_session_of_a_mailbox_is_in_use(self):
        first = self.login()
        second = self.pop3()
        second.user(ALICE)
        with self.assertRaises(poplib.error_proto) as in_use:
            second.pass_(PASSWORD)
        self.assertEqual(in_use.exception.args[0], b"-ERR [IN-USE] The mailbox is open in another POP3 session")
        self.assertEqual(first.stat(), (0, 0))
        self.assertEqual(first.quit(), b"+OK Bye; 0 messages left")
        # Still in the AUTHORIZATION state: the same connection may try again.
        second.user(ALICE)
        self.assertEqual(second.pass_(PASSWORD), b"+OK Logged in; 0 messages (0 octets)")
        second.quit()


class Transactions(Pop3TestBase):
    def setUp(self):
        super().setUp()
        self.deliver("one", "First body.\r\n")
        self.deliver("two", "Line 1\r\n.leading dot\r\n..two dots\r\nLine 4\r\nLine 5\r\n")
        self.deliver("three", "Third body.\r\n")
        self.stored = self.mailbox_messages(ALICE)
        self.assertEqual(len(self.stored), 3)

    def uidls(self, client):
        _, lines, _ = client.uidl()
        return [line.decode() for line in lines]

    def test_list_uidl_retr_top(self):
        client = self.login()
        sizes = [len(content) for content in self.stored]
        self.assertEqual(client.stat(), (3, sum(sizes)))
        status, lines, _ = client.list()
        self.assertEqual(status, f"+OK 3 messages ({sum(sizes)} octets)".encode())
        self.assertEqual(lines, [f"{n} {size}".encode() for n, size in enumerate(sizes, 1)])
        self.assertEqual(client.list(2), f"+OK 2 {sizes[1]}".encode())

        uidls = self.uidls(client)
        validity = uidls[0].split(" ")[1].split("-")[0]
        self.assertTrue(validity.isdigit() and int(validity) > 1600000000, uidls)
        self.assertEqual(uidls, [f"1 {validity}-1", f"2 {validity}-2", f"3 {validity}-3"])
        self.assertEqual(client.uidl(3), f"+OK 3 {validity}-3".encode())

        for number, content in enumerate(self.stored, 1):
            status, lines, octets = client.retr(number)
            self.assertEqual(status, f"+OK {len(content)} octets".encode())
            self.assertEqual(b"\r\n".join(lines) + b"\r\n", content)
            self.assertEqual(octets, len(content))

        header, body = self.stored[1].split(b"\r\n\r\n", 1)
        status, lines, _ = client.top(2, 2)
        self.assertEqual(status, b"+OK Top of message 2 follows")
        self.assertEqual(b"\r\n".join(lines), header + b"\r\n\r\nLine 1\r\n.leading dot")
        _, lines, _ = client.top(2, 0)
        self.assertEqual(b"\r\n".join(lines), header + b"\r\n")
        self.assertTrue(body.endswith(b"Line 5\r\n"))
        client.quit()

    def test_byte_stuffing_and_errors_on_the_wire(self):
        raw = self.raw_login()
        self.send_and_check_stuffing(raw)
        self.assertEqual(raw.command("RETR 4"), "-ERR No such message; the maildrop has 3")
        self.assertEqual(raw.command("RETR 0"), "-ERR No such message; the maildrop has 3")
        self.assertEqual(raw.command("RETR x"), "-ERR Syntax: RETR message")
        self.assertEqual(raw.command("RETR"), "-ERR Syntax: RETR message")
        self.assertEqual(raw.command("TOP 1"), "-ERR Syntax: TOP message lines")
        self.assertEqual(raw.command("TOP 1 -1"), "-ERR Syntax: TOP message lines")
        self.assertEqual(raw.command("LIST 1 2"), "-ERR Syntax: LIST [message]")
        self.assertEqual(raw.command("STAT 1"), "-ERR Syntax: STAT")
        self.assertEqual(raw.command("XTND XMIT"), "-ERR Unknown command")
        self.assertEqual(raw.command("USER " + ALICE), "-ERR Command not valid in this state")
        self.assertEqual(raw.command("noop"), "+OK")
        raw.close()

    def send_and_check_stuffing(self, raw):
        header, body = self.stored[1].split(b"\r\n\r\n", 1)
        self.assertEqual(body, b"Line 1\r\n.leading dot\r\n..two dots\r\nLine 4\r\nLine 5\r\n")
        raw.send(b"RETR 2\r\n")
        self.assertEqual(raw.raw_response(),
                         f"+OK {len(self.stored[1])} octets\r\n".encode() + header +
                         b"\r\n\r\nLine 1\r\n..leading dot\r\n...two dots\r\nLine 4\r\nLine 5\r\n.\r\n")
        raw.send(b"TOP 2 3\r\n")
        self.assertEqual(raw.raw_response(), b"+OK Top of message 2 follows\r\n" + header +
                         b"\r\n\r\nLine 1\r\n..leading dot\r\n...two dots\r\n.\r\n")

    def test_pipelined_commands(self):
        raw = self.raw_login()
        sizes = [len(content) for content in self.stored]
        raw.send(b"STAT\r\nLIST\r\nRETR 1\r\nDELE 1\r\nLIST 1\r\nUIDL 2\r\nNOOP\r\n")
        self.assertEqual(raw.line(), f"+OK 3 {sum(sizes)}")
        self.assertEqual(raw.line(), f"+OK 3 messages ({sum(sizes)} octets)")
        self.assertEqual(raw.lines(), [f"{n} {size}" for n, size in enumerate(sizes, 1)])
        self.assertEqual(raw.raw_response(), f"+OK {sizes[0]} octets\r\n".encode() + self.stored[0] + b".\r\n")
        self.assertEqual(raw.line(), "+OK Message 1 deleted")
        self.assertEqual(raw.line(), "-ERR Message 1 already deleted")
        self.assertRegex(raw.line(), r"^\+OK 2 [0-9]+-2$")
        self.assertEqual(raw.line(), "+OK")
        raw.close()

    def test_large_message_is_streamed_whole(self):
        body = "".join(("." if n % 7 == 0 else "") + f"line {n:06d} of a long message, padded out\r\n"
                       for n in range(20000))
        self.deliver("large", body)
        [*_, stored] = self.mailbox_messages(ALICE)
        self.assertGreater(len(stored), 800000)
        raw = self.raw_login()
        # A command pipelined behind the RETR waits until the whole message has gone out.
        raw.send(b"RETR 4\r\nNOOP\r\n")
        response = raw.raw_response()
        status, content = response.split(b"\r\n", 1)
        self.assertEqual(status, f"+OK {len(stored)} octets".encode())
        self.assertEqual(content.count(b"\r\n..line "), 20000 // 7 + 1)
        self.assertEqual(content[:-3].replace(b"\r\n..", b"\r\n."), stored)
        self.assertEqual(raw.line(), "+OK")
        raw.close()

    def test_dele_then_rset_deletes_nothing(self):
        client = self.login()
        self.assertEqual(client.dele(1), b"+OK Message 1 deleted")
        with self.assertRaises(poplib.error_proto) as again:
            client.dele(1)
        self.assertEqual(again.exception.args[0], b"-ERR Message 1 already deleted")
        with self.assertRaises(poplib.error_proto):
            client.retr(1)
        self.assertEqual(client.stat(), (2, len(self.stored[1]) + len(self.stored[2])))
        total = sum(len(content) for content in self.stored)
        self.assertEqual(client.rset(), f"+OK Maildrop has 3 messages ({total} octets)".encode())
        self.assertEqual(client.stat(), (3, total))
        self.assertEqual(client.quit(), b"+OK Bye; 3 messages left")
        self.assertEqual(self.mailbox_messages(ALICE), self.stored)
        self.assertEqual(self.usage(), (total, 3))

    def test_dele_then_quit_deletes_and_keeps_other_uidls(self):
        files = self.message_files()
        self.assertEqual(len(files), 3)
        client = self.login()
        before = self.uidls(client)
        client.dele(2)
        self.assertEqual(client.quit(), b"+OK Bye; 2 messages left")
        self.assertEqual(self.mailbox_messages(ALICE), [self.stored[0], self.stored[2]])
        self.assertEqual(self.usage(), (len(self.stored[0]) + len(self.stored[2]), 2))
        remaining = self.message_files()
        self.assertEqual(len(remaining), 2)
        [removed] = set(files) - set(remaining)
        self.assertFalse(os.path.exists(removed))

        client = self.login()
        # The numbers close up, the unique ids stay (RFC 1939 §7).
        self.assertEqual(self.uidls(client), ["1 " + before[0].split(" ")[1], "2 " + before[2].split(" ")[1]])
        self.assertEqual(b"\r\n".join(client.retr(2)[1]) + b"\r\n", self.stored[2])
        client.quit()

    def test_dropped_connection_deletes_nothing(self):
        raw = self.raw_login()
        self.assertEqual(raw.command("DELE 1"), "+OK Message 1 deleted")
        self.assertEqual(raw.command("DELE 3"), "+OK Message 3 deleted")
        raw.close()  # no QUIT: the session never enters UPDATE
        client = self.login()
        self.assertEqual(client.stat()[0], 3)
        client.quit()
        self.assertEqual(self.mailbox_messages(ALICE), self.stored)
        self.assertEqual(len(self.message_files()), 3)

    def test_mail_delivered_during_a_session_waits_for_the_next(self):
        client = self.login()
        self.deliver("four")
        self.assertEqual(client.stat()[0], 3)
        self.assertEqual(len(client.list()[1]), 3)
        client.quit()
        client = self.login()
        self.assertEqual(client.stat()[0], 4)
        self.assertIn(b"Subject: four", client.top(4, 0)[1])
        client.quit()

    def test_limits(self):
        self.daemon.ctl("settings", "set", "pop3.max_errors", "3", check=0)
        raw = self.raw_login()
        # RFC 2449 §4: 255 octets including CRLF.
        self.assertEqual(raw.command("NOOP" + " " * 249), "+OK")
        self.assertEqual(raw.command("NOOP" + " " * 250), "-ERR Line too long")
        self.assertEqual(raw.command("X" * 5000), "-ERR Line too long")
        self.assertEqual(raw.command("STAT"), f"+OK 3 {sum(len(c) for c in self.stored)}")
        self.assertEqual(raw.command("BOGUS"), "-ERR Unknown command")
        self.assertEqual(raw.line(), "-ERR Too many errors; closing the connection")
        self.assertTrue(raw.is_closed())
        raw.close()

    def test_curl_lists_and_retrieves_over_pop3s(self):
        base = f"pop3s://127.0.0.1:{self.ports['pop3s']}/"
        common = ["curl", "--silent", "--show-error", "--insecure", "--user", f"{ALICE}:{PASSWORD}"]
        listing = subprocess.run(common + [base], capture_output=True, timeout=30)
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertEqual(listing.stdout,
                         b"".join(f"{n} {len(c)}\r\n".encode() for n, c in enumerate(self.stored, 1)))
        retrieved = subprocess.run(common + [base + "2"], capture_output=True, timeout=30)
        self.assertEqual(retrieved.returncode, 0, retrieved.stderr)
        self.assertEqual(retrieved.stdout, self.stored[1])


if __name__ == "__main__":
    unittest.main()
