"""SMTP on 25, 587 and 465 through the real promaild, driven by Python's smtplib, raw sockets and
swaks: routing, anti-spoofing, authentication, limits, local delivery and queueing."""
import base64
import json
import os
import shutil
import smtplib
import socket
import ssl
import subprocess
import time
import unittest

from promail_harness import MailDaemonTestCase

PASSWORD = "correct horse battery"


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def message(sender, to, subject="Hello", body="Hi there.\r\n", extra=""):
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{time.time_ns()}@test.example>\r\n"
            f"{extra}\r\n{body}").encode()


class RawSmtp:
    """A line-level SMTP client for what smtplib cannot say (pipelining, BDAT, bare LF)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buffer = b""
        self.greeting = self.read_reply()

    def read_reply(self):
        lines = []
        while True:
            while b"\r\n" not in self.buffer:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return "\n".join(lines) if lines else None
                self.buffer += chunk
            line, self.buffer = self.buffer.split(b"\r\n", 1)
            lines.append(line.decode())
            if len(line) < 4 or line[3:4] != b"-":
                return "\n".join(lines)

    def send(self, data):
        self.sock.sendall(data)

    def command(self, line):
        self.send(line.encode() + b"\r\n")
        return self.read_reply()

    def close(self):
        self.sock.close()


class SmtpTestBase(MailDaemonTestCase):
    def setUp(self):
        super().setUp()
        self.start_mail_daemon()
        d = self.daemon
        d.ctl("domain", "add", "example.org", "--postmaster", "alice@example.org", check=0)
        d.ctl("domain", "add", "example.com", check=0)
        for user in ("alice", "bob", "carol"):
            d.ctl("mailbox", "add", f"{user}@example.org", "--password-stdin", stdin=PASSWORD + "\n", check=0)
        d.ctl("mailbox", "add", "dave@example.org", "--password-stdin", "--active", "false", stdin=PASSWORD + "\n", check=0)
        d.ctl("alias", "add", "sales@example.org", "alice@example.org,bob@example.org", check=0)
        d.ctl("alias", "add", "info@example.org", "alice@example.org,partner@remote.example.net", check=0)
        d.ctl("list", "add", "team@example.org", "alice@example.org,bob@example.org", "--members-only", "true", check=0)
        d.ctl("catch-all", "set", "example.com", "carol@example.org", check=0)

    def submission(self, user="alice@example.org", password=PASSWORD):
        client = smtplib.SMTP("127.0.0.1", self.ports["submission"], timeout=10)
        client.ehlo("client.example.net")
        client.starttls(context=tls_context())
        client.ehlo("client.example.net")
        client.login(user, password)
        return client


class Inbound(SmtpTestBase):
    def test_delivery_headers_and_content(self):
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            client.ehlo("mx.remote.example.net")
            self.assertIn("starttls", client.esmtp_features)
            self.assertNotIn("auth", client.esmtp_features)
            self.assertEqual(client.esmtp_features["size"], "52428800")
            for feature in ("pipelining", "8bitmime", "smtputf8", "enhancedstatuscodes", "chunking", "dsn"):
                self.assertIn(feature, client.esmtp_features)
            body = "Line one.\r\n.leading dot\r\n..two dots\r\n"
            refused = client.sendmail("someone@remote.example.net", ["alice@example.org"],
                                      message("someone@remote.example.net", "alice@example.org", body=body))
            self.assertEqual(refused, {})
        [stored] = self.mailbox_messages("alice@example.org")
        self.assertTrue(stored.startswith(b"Return-Path: <someone@remote.example.net>\r\nDelivered-To: alice@example.org\r\n"
                                          b"Received: from mx.remote.example.net ([127.0.0.1])\r\n\tby mail.example.org "
                                          b"(ProMail) with ESMTP id "), stored[:300])
        self.assertTrue(stored.endswith(b"\r\n\r\nLine one.\r\n.leading dot\r\n..two dots\r\n"), stored[-80:])
        log = self.daemon.log_text()
        self.assertIn("from=<someone@remote.example.net> to=<alice@example.org> mailbox=INBOX result=stored", log)

    def test_rejections(self):
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            client.ehlo("mx.remote.example.net")
            self.assertEqual(client.mail("someone@remote.example.net"), (250, b"2.1.0 Ok"))
            self.assertEqual(client.rcpt("x@elsewhere.example.net"),
                             (554, b"5.7.1 <x@elsewhere.example.net>: Relay access denied"))
            self.assertEqual(client.rcpt("nobody@example.org"),
                             (550, b"5.1.1 <nobody@example.org>: Recipient address rejected: User unknown"))
            self.assertEqual(client.rcpt("dave@example.org"),
                             (550, b"5.2.1 <dave@example.org>: Recipient address rejected: mailbox disabled"))
            self.assertEqual(client.rcpt("team@example.org"),
                             (550, b"5.7.1 <team@example.org>: only members may post to this list"))
            self.assertEqual(client.rcpt("postmaster"), (250, b"2.1.5 Ok"))
            self.assertEqual(client.rcpt("anything@example.com"), (250, b"2.1.5 Ok"))  # catch-all
            client.rset()
            code, text = client.mail("alice@example.org")
            self.assertEqual((code, text), (550, b"5.7.1 <alice@example.org>: Sender address rejected: not logged in; "
                                                 b"use port 587 with authentication"))

    def test_forwarding_host_may_send_as_local_domain(self):
        self.daemon.ctl("forwarding-host", "add", "127.0.0.0/8", "--description", "backup MX", check=0)
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            client.ehlo("backup-mx.example.org")
            self.assertEqual(client.mail("alice@example.org")[0], 250)

    def test_routes_reaching_one_mailbox_store_one_copy(self):
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            client.sendmail("someone@remote.example.net", ["alice@example.org", "sales@example.org", "ALICE@example.org",
                                                           "alice+news@example.org"],
                            message("someone@remote.example.net", "alice@example.org"))
        self.assertEqual(len(self.mailbox_messages("alice@example.org")), 1)
        self.assertEqual(len(self.mailbox_messages("bob@example.org")), 1)

    def test_list_skips_members_who_are_direct_recipients(self):
        self.daemon.ctl("list", "set", "team@example.org", "--members-only", "false", check=0)
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            client.sendmail("someone@remote.example.net", ["team@example.org"],
                            message("someone@remote.example.net", "team@example.org, alice@example.org"))
        # alice is a direct To: recipient, so the list does not send her its copy ...
        self.assertEqual(len(self.mailbox_messages("alice@example.org")), 0)
        # ... while bob, only a member, gets it.
        self.assertEqual(len(self.mailbox_messages("bob@example.org")), 1)

    def test_sub_address_modes(self):
        d = self.daemon
        d.ctl("mailbox", "set", "bob@example.org", "--tagged-mail", "folder", check=0)
        d.ctl("mailbox", "set", "carol@example.org", "--tagged-mail", "subject", check=0)
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            for rcpt in ("alice+shop@example.org", "bob+shop@example.org", "carol+shop@example.org"):
                client.sendmail("someone@remote.example.net", [rcpt],
                                message("someone@remote.example.net", rcpt, subject="Offer"))
        self.assertEqual(len(self.mailbox_messages("alice@example.org")), 1)
        self.assertEqual(len(self.mailbox_messages("bob@example.org", "shop")), 1)
        [carol] = self.mailbox_messages("carol@example.org")
        self.assertIn(b"\r\nSubject: [shop] Offer\r\n", carol)
        self.assertEqual(carol.count(b"Subject:"), 1)

    def test_smtp_smuggling_bare_lf_is_refused(self):
        raw = RawSmtp(self.ports["smtp"])
        raw.command("EHLO mx.remote.example.net")
        raw.command("MAIL FROM:<someone@remote.example.net>")
        raw.command("RCPT TO:<alice@example.org>")
        self.assertEqual(raw.command("DATA"), "354 End data with <CR><LF>.<CR><LF>")
        raw.send(b"Subject: a\r\n\r\nbody\n.\nMAIL FROM:<x@remote.example.net>\r\n.\r\n")
        self.assertEqual(raw.read_reply(), "521 5.5.2 mail.example.org Error: bare <LF> or <CR> received")
        raw.close()
        self.assertEqual(self.mailbox_messages("alice@example.org"), [])

    def test_pipelining_and_bdat(self):
        raw = RawSmtp(self.ports["smtp"])
        raw.command("EHLO mx.remote.example.net")
        raw.send(b"MAIL FROM:<someone@remote.example.net>\r\nRCPT TO:<alice@example.org>\r\n"
                 b"RCPT TO:<nobody@example.org>\r\nRCPT TO:<bob@example.org>\r\n")
        replies = [raw.read_reply() for _ in range(4)]
        self.assertEqual(replies, ["250 2.1.0 Ok", "250 2.1.5 Ok",
                                   "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown",
                                   "250 2.1.5 Ok"])
        first = b"Subject: chunks\r\n\r\n"
        second = b"line with\r\n.a dot that BDAT keeps\r\n"
        raw.send(b"BDAT %d\r\n" % len(first) + first + b"BDAT %d LAST\r\n" % len(second) + second)
        self.assertEqual(raw.read_reply(), f"250 2.0.0 {len(first)} octets received")
        self.assertTrue(raw.read_reply().startswith("250 2.0.0 Ok: queued as "))
        self.assertEqual(raw.command("QUIT"), "221 2.0.0 Bye")
        raw.close()
        for user in ("alice", "bob"):
            [stored] = self.mailbox_messages(f"{user}@example.org")
            self.assertTrue(stored.endswith(first + second))

    def test_limits(self):
        d = self.daemon
        d.ctl("settings", "set", "smtp.max_recipients", "2", check=0)
        d.ctl("settings", "set", "smtp.max_message_size", "70000", check=0)
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            client.ehlo("mx.remote.example.net")
            self.assertEqual(client.esmtp_features["size"], "70000")
            self.assertEqual(client.mail("someone@remote.example.net", ["SIZE=70001"]),
                             (552, b"5.3.4 Message size exceeds fixed maximum message size"))
            client.mail("someone@remote.example.net")
            client.rcpt("alice@example.org")
            client.rcpt("bob@example.org")
            self.assertEqual(client.rcpt("carol@example.org"), (452, b"4.5.3 Error: too many recipients"))
            code, text = client.data(message("someone@remote.example.net", "alice@example.org", body="x" * 80000))
            self.assertEqual((code, text), (552, b"5.3.4 Message size exceeds fixed maximum message size"))
        raw = RawSmtp(self.ports["smtp"])
        self.assertEqual(raw.command("MAIL FROM:<a@remote.example.net>"), "503 5.5.1 Error: send HELO/EHLO first")
        self.assertEqual(raw.command("EHLO"), "501 5.5.4 Syntax: EHLO hostname")
        self.assertEqual(raw.command("FROB"), "502 5.5.2 Error: command not recognized")
        self.assertEqual(raw.command("X" * 5000), "500 5.5.0 Error: line too long")
        raw.close()

    def test_quota_at_rcpt_and_warning(self):
        d = self.daemon
        d.ctl("mailbox", "set", "bob@example.org", "--quota-mib", "1", check=0)
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            client.ehlo("mx.remote.example.net")
            client.mail("someone@remote.example.net", ["SIZE=2000000"])
            self.assertEqual(client.rcpt("bob@example.org"), (452, b"4.2.2 <bob@example.org>: Mailbox full"))
            client.rset()
            client.sendmail("someone@remote.example.net", ["bob@example.org"],
                            message("someone@remote.example.net", "bob@example.org", body="y" * 900000))
        # The warning is written after the message is acknowledged: give it a moment.
        deadline = time.time() + 10
        while len(self.mailbox_messages("bob@example.org")) < 2 and time.time() < deadline:
            time.sleep(0.05)
        stored = self.mailbox_messages("bob@example.org")
        self.assertEqual(len(stored), 2, "the message and one 80% warning")
        self.assertIn(b"Subject: Your mailbox is 80% full", stored[1])


class Submission(SmtpTestBase):
    def test_auth_only_after_tls_and_required_for_mail(self):
        with smtplib.SMTP("127.0.0.1", self.ports["submission"], timeout=10) as client:
            client.ehlo("client.example.net")
            self.assertNotIn("auth", client.esmtp_features)
            self.assertEqual(client.docmd("AUTH", "PLAIN " + base64.b64encode(b"\0alice@example.org\0x").decode()),
                             (538, b"5.7.11 Encryption required for requested authentication mechanism"))
            self.assertEqual(client.mail("alice@example.org"), (530, b"5.7.0 Authentication required"))
            client.starttls(context=tls_context())
            client.ehlo("client.example.net")
            self.assertEqual(client.esmtp_features["auth"].strip(), "PLAIN LOGIN")
            self.assertNotIn("starttls", client.esmtp_features)

    def test_send_external_and_local_with_trace(self):
        with self.submission() as client:
            refused = client.sendmail("alice@example.org", ["partner@remote.example.net", "bob@example.org"],
                                      message("Alice <alice@example.org>", "partner@remote.example.net"))
            self.assertEqual(refused, {})
        [stored] = self.mailbox_messages("bob@example.org")
        self.assertIn(b"with ESMTPSA id ", stored)
        self.assertIn(b"(version=TLSv1.3 cipher=", stored)
        self.assertIn(b"(authenticated user alice@example.org)", stored)
        queue = json.loads(self.daemon.ctl("--json", "queue", "list", check=0).stdout)
        items = queue["items"] if isinstance(queue, dict) else queue
        self.assertEqual(len(items), 1)
        self.assertEqual(items[0]["sender"], "alice@example.org")
        self.assertEqual([r["address"] for r in items[0]["recipients"]], ["partner@remote.example.net"])
        table = self.daemon.ctl("queue", "list", check=0).stdout
        self.assertIn("partner@remote.example.net", table)

    def test_alias_expansion_queues_external_members(self):
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            client.sendmail("someone@remote.example.net", ["info@example.org"],
                            message("someone@remote.example.net", "info@example.org"))
        queue = json.loads(self.daemon.ctl("--json", "queue", "list", check=0).stdout)
        items = queue["items"] if isinstance(queue, dict) else queue
        self.assertEqual([r["address"] for r in items[0]["recipients"]], ["partner@remote.example.net"])
        self.assertEqual(items[0]["recipients"][0]["orcpt"], "rfc822;info@example.org")
        self.assertEqual(len(self.mailbox_messages("alice@example.org")), 1)

    def test_users_cannot_spoof_each_other(self):
        self.daemon.ctl("alias", "add", "*@example.org", "alice@example.org", check=0)
        with self.submission() as client:
            self.assertEqual(client.mail("bob@example.org"),
                             (553, b"5.7.1 <bob@example.org>: Sender address rejected: not owned by user alice@example.org"))
            self.assertEqual(client.mail("random@example.org")[0], 553, "a wildcard alias is not an identity")
            client.rset()
            self.assertEqual(client.mail("alice+lists@example.org")[0], 250)
            client.rset()
            self.assertEqual(client.mail("sales@example.org")[0], 250, "an exact alias that reaches alice")
            client.rcpt("bob@example.org")
            code, text = client.data(message("bob@example.org", "bob@example.org"))
            self.assertEqual((code, text), (553, b"5.7.1 <bob@example.org>: header From not owned by user alice@example.org"))
        self.assertEqual(self.mailbox_messages("bob@example.org"), [])
        self.daemon.ctl("mailbox", "set", "alice@example.org", "--allow-masquerade", "true", check=0)
        with self.submission() as client:
            self.assertEqual(client.mail("bob@example.org")[0], 250)

    def test_failed_logins_ban_the_client(self):
        self.daemon.ctl("settings", "set", "auth.max_failures", "3", check=0)
        client = smtplib.SMTP("127.0.0.1", self.ports["submission"], timeout=10)
        client.starttls(context=tls_context())
        client.ehlo("client.example.net")
        client.user, client.password = "alice@example.org", "wrong"
        for _ in range(2):
            with self.assertRaises(smtplib.SMTPAuthenticationError) as failure:
                client.auth("PLAIN", client.auth_plain)
            self.assertEqual((failure.exception.smtp_code, failure.exception.smtp_error),
                             (535, b"5.7.8 Error: authentication failed"))
        # The third failure bans the address: 421 and the connection is closed.
        self.assertEqual(client.docmd("AUTH", "PLAIN " + base64.b64encode(b"\0alice@example.org\0wrong").decode()),
                         (421, b"4.7.0 mail.example.org too many failed logins; try later"))
        bans = json.loads(self.daemon.ctl("--json", "ban", "list", check=0).stdout)
        items = bans["items"] if isinstance(bans, dict) else bans
        self.assertEqual([b["address"] for b in items], ["127.0.0.1"])
        raw = RawSmtp(self.ports["smtp"])
        self.assertEqual(raw.greeting, "421 4.7.0 mail.example.org too many failed logins from your address; try later")
        raw.close()
        self.daemon.ctl("ban", "remove", "127.0.0.1", check=0)
        with self.submission() as ok:
            self.assertEqual(ok.noop()[0], 250)

    def test_implicit_tls_and_login_mechanism(self):
        with smtplib.SMTP_SSL("127.0.0.1", self.ports["submissions"], context=tls_context(), timeout=10) as client:
            client.ehlo("client.example.net")
            self.assertEqual(client.esmtp_features["auth"].strip(), "PLAIN LOGIN")
            client.user, client.password = "bob@example.org", PASSWORD
            self.assertEqual(client.auth("LOGIN", client.auth_login)[0], 235)
            client.sendmail("bob@example.org", ["alice@example.org"], message("bob@example.org", "alice@example.org"))
        self.assertEqual(len(self.mailbox_messages("alice@example.org")), 1)


class StartTlsCertificates(MailDaemonTestCase):
    def test_starttls_and_implicit_tls_choose_the_certificate_by_sni(self):
        certs = os.path.join(self.workdir, "certs")
        os.makedirs(certs)
        files = {}
        for name, cn in (("default", "mail.example.org"), ("mx", "mx.example.net")):
            cert, key = os.path.join(certs, f"{name}.pem"), os.path.join(certs, f"{name}.key")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                            f"/CN={cn}", "-keyout", key, "-out", cert], capture_output=True, check=True)
            os.chmod(key, 0o644)
            os.chmod(certs, 0o755)
            files[name] = (cert, key)
        self.start_mail_daemon(f"[tls]\ncert = {files['default'][0]}\nkey = {files['default'][1]}\n"
                               f"[tls:mx.example.net]\ncert = {files['mx'][0]}\nkey = {files['mx'][1]}\n")

        def common_name(tls_socket):
            der = tls_socket.getpeercert(binary_form=True)
            pem = ssl.DER_cert_to_PEM_cert(der)
            out = subprocess.run(["openssl", "x509", "-noout", "-subject"], input=pem, capture_output=True, text=True)
            return out.stdout.strip().split("CN = ")[-1]

        for server_name, expected in (("mx.example.net", "mx.example.net"), ("other.example.com", "mail.example.org")):
            with self.subTest(server_name=server_name):
                raw = RawSmtp(self.ports["smtp"])
                raw.command("EHLO client.example.net")
                # Pipelined after STARTTLS: must be discarded, not run inside TLS (RFC 3207 §4.2).
                raw.send(b"STARTTLS\r\nRSET\r\n")
                self.assertEqual(raw.read_reply(), "220 2.0.0 Ready to start TLS")
                with tls_context().wrap_socket(raw.sock, server_hostname=server_name) as tls:
                    self.assertEqual(common_name(tls), expected)
                    tls.sendall(b"EHLO client.example.net\r\n")
                    reply = b""
                    while not reply.endswith(b"250 DSN\r\n"):
                        reply += tls.recv(4096)
                    self.assertTrue(reply.startswith(b"250-mail.example.org\r\n"), reply)
                    self.assertNotIn(b"STARTTLS", reply)
                    self.assertNotIn(b"AUTH", reply)  # port 25 never offers AUTH
            with self.subTest(implicit=server_name):
                with socket.create_connection(("127.0.0.1", self.ports["submissions"]), timeout=10) as plain:
                    with tls_context().wrap_socket(plain, server_hostname=server_name) as tls:
                        self.assertEqual(common_name(tls), expected)
                        self.assertTrue(tls.recv(4096).startswith(b"220 mail.example.org ESMTP"))


@unittest.skipUnless(shutil.which("swaks"), "swaks is installed by installer/dev.sh deps")
class Swaks(SmtpTestBase):
    def swaks(self, *args):
        result = subprocess.run(["swaks", "--server", "127.0.0.1", "--hide-all", *args], capture_output=True,
                                text=True, timeout=60)
        return result

    def test_swaks_on_every_port(self):
        inbound = self.swaks("--port", str(self.ports["smtp"]), "--from", "someone@remote.example.net",
                             "--to", "alice@example.org")
        self.assertEqual(inbound.returncode, 0, inbound.stdout + inbound.stderr)
        starttls = self.swaks("--port", str(self.ports["submission"]), "--tls", "--auth", "PLAIN",
                              "--auth-user", "bob@example.org", "--auth-password", PASSWORD,
                              "--from", "bob@example.org", "--to", "alice@example.org")
        self.assertEqual(starttls.returncode, 0, starttls.stdout + starttls.stderr)
        implicit = self.swaks("--port", str(self.ports["submissions"]), "--tlsc", "--auth", "LOGIN",
                              "--auth-user", "carol@example.org", "--auth-password", PASSWORD,
                              "--from", "carol@example.org", "--to", "alice@example.org")
        self.assertEqual(implicit.returncode, 0, implicit.stdout + implicit.stderr)
        relay = self.swaks("--port", str(self.ports["smtp"]), "--from", "someone@remote.example.net",
                           "--to", "victim@elsewhere.example.net")
        self.assertEqual(relay.returncode, 24, relay.stdout)  # swaks: 24 = RCPT refused
        self.assertEqual(len(self.mailbox_messages("alice@example.org")), 3)


if __name__ == "__main__":
    unittest.main()
