"""IMAP4rev1 on the imap (STARTTLS) and imaps ports through the real promaild, driven by Python's
imaplib: logins only over TLS, mail sent over SMTP read with FETCH, flags, EXPUNGE, folders with
their special-use attributes, read-only EXAMINE, the ban list and two sessions on one mailbox."""
import base64
import imaplib
import os
import smtplib
import socket
import ssl
import time
import unittest

from promail_harness import MailDaemonTestCase

PASSWORD = "correct horse battery"
ALICE = "alice@example.org"
CAPS_BEFORE_TLS = ("IMAP4REV1", "STARTTLS", "LOGINDISABLED", "SPECIAL-USE", "UNSELECT")
CAPS_TLS = ("IMAP4REV1", "AUTH=PLAIN", "SASL-IR", "SPECIAL-USE", "UNSELECT")


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def message(subject, body):
    return (f"From: sender@remote.example.net\r\nTo: {ALICE}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{time.time_ns()}@test.example>\r\n\r\n{body}").encode()


class ImapTestBase(MailDaemonTestCase):
    SERVICES = ("smtp", "imap", "imaps")

    def setUp(self):
        super().setUp()
        self.start_mail_daemon()
        d = self.daemon
        d.ctl("domain", "add", "example.org", check=0)
        d.ctl("mailbox", "add", ALICE, "--password-stdin", stdin=PASSWORD + "\n", check=0)
        d.ctl("mailbox", "add", "noimap@example.org", "--password-stdin", "--imap", "false",
              stdin=PASSWORD + "\n", check=0)

    def deliver(self, subject, body="Hello.\r\n"):
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            self.assertEqual(client.sendmail("sender@remote.example.net", [ALICE], message(subject, body)), {})

    def imaps(self):
        return imaplib.IMAP4_SSL("127.0.0.1", self.ports["imaps"], ssl_context=tls_context(), timeout=10)

    def login(self):
        client = self.imaps()
        self.assertEqual(client.login(ALICE, PASSWORD)[0], "OK")
        return client

    def bans(self):
        import json
        listed = json.loads(self.daemon.ctl("--json", "ban", "list", check=0).stdout)
        return listed["items"] if isinstance(listed, dict) else listed

    def message_files(self):
        base = os.path.join(self.daemon.data_dir, "mail", "example.org", "alice")
        found = []
        for root, _, names in os.walk(base):
            if os.path.basename(root) in ("new", "cur"):
                found.extend(os.path.join(root, name) for name in names)
        return sorted(found)


class Logins(ImapTestBase):
    def test_login_refused_before_starttls(self):
        client = imaplib.IMAP4("127.0.0.1", self.ports["imap"], timeout=10)
        self.assertEqual(client.capabilities, CAPS_BEFORE_TLS)
        typ, data = client._simple_command("LOGIN", ALICE, '"' + PASSWORD + '"')
        self.assertEqual((typ, data), ("NO", [b"[PRIVACYREQUIRED] Use STARTTLS before logging in"]))
        typ, data = client._simple_command("AUTHENTICATE", "PLAIN", base64.b64encode(
            f"\0{ALICE}\0{PASSWORD}".encode()).decode())
        self.assertEqual(typ, "NO")
        client.logout()

    def test_starttls_then_login(self):
        client = imaplib.IMAP4("127.0.0.1", self.ports["imap"], timeout=10)
        self.assertEqual(client.starttls(ssl_context=tls_context())[0], "OK")
        self.assertEqual(client.capabilities, CAPS_TLS)
        self.assertEqual(client.login(ALICE, PASSWORD), ("OK", [b"[CAPABILITY IMAP4rev1 SPECIAL-USE UNSELECT] Logged in"]))
        self.assertEqual(client.logout()[0], "BYE")

    def test_authenticate_plain(self):
        client = self.imaps()
        # imaplib sends the initial response after "+ "; SASL-IR puts it on the command line.
        self.assertEqual(client.authenticate("PLAIN", lambda _: f"\0{ALICE}\0{PASSWORD}".encode())[0], "OK")
        client.logout()
        client = self.imaps()
        ir = base64.b64encode(f"\0{ALICE}\0{PASSWORD}".encode()).decode()
        typ, _ = client._simple_command("AUTHENTICATE", "PLAIN", ir)
        self.assertEqual(typ, "OK")
        client.logout()

    def test_wrong_password_and_ban(self):
        self.daemon.ctl("settings", "set", "auth.max_failures", "2", check=0)
        client = self.imaps()
        with self.assertRaises(imaplib.IMAP4.error) as failed:
            client.login(ALICE, "wrong password")
        self.assertEqual(str(failed.exception), "b'[AUTHENTICATIONFAILED] Authentication failed'")
        with self.assertRaises(imaplib.IMAP4.error) as banned:
            client.login(ALICE, "wrong again")
        self.assertEqual(str(banned.exception), "b'[UNAVAILABLE] Too many failed logins; try later'")
        # A banned address is turned away at the greeting.
        with self.assertRaises(imaplib.IMAP4.error) as greeting:
            self.imaps()
        self.assertEqual(str(greeting.exception),
                         "b'* BYE [UNAVAILABLE] Too many failed logins from your address; try later'")
        [ban] = [b for b in self.bans() if b["address"] == "127.0.0.1"]
        self.assertEqual((ban["service"], ban["failures"]), ("imap", 2))

    def test_mailbox_without_imap_access(self):
        client = self.imaps()
        with self.assertRaises(imaplib.IMAP4.error) as refused:
            client.login("noimap@example.org", PASSWORD)
        self.assertEqual(str(refused.exception), "b'[CONTACTADMIN] IMAP access is disabled for this mailbox'")

    def test_literal_over_the_limit_is_refused_before_continuation(self):
        sock = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", self.ports["imaps"]), timeout=10))
        sock.recv(4096)
        sock.sendall(b"a1 LOGIN {100000}\r\n")
        self.assertEqual(sock.recv(4096), b"a1 NO [TOOBIG] Literal too large\r\n")
        sock.close()


class Folders(ImapTestBase):
    def test_list_standard_folders(self):
        client = self.login()
        typ, data = client.list()
        self.assertEqual(typ, "OK")
        self.assertEqual(sorted(data), sorted([
            b'(\\HasNoChildren \\Archive) "/" "Archive"', b'(\\HasNoChildren \\Drafts) "/" "Drafts"',
            b'(\\HasNoChildren) "/" "INBOX"', b'(\\HasNoChildren \\Sent) "/" "Sent"',
            b'(\\HasNoChildren \\Junk) "/" "Spam"', b'(\\HasNoChildren \\Trash) "/" "Trash"']))
        self.assertEqual(client.list('""', "S%"), ("OK", [b'(\\HasNoChildren \\Sent) "/" "Sent"',
                                                      b'(\\HasNoChildren \\Junk) "/" "Spam"']))
        self.assertEqual(client.list('""', '""'), ("OK", [b'(\\Noselect) "/" ""']))
        client.logout()

    def test_status_counts(self):
        self.deliver("one")
        self.deliver("two")
        client = self.login()
        self.assertEqual(client.status("INBOX", "(MESSAGES UIDNEXT UNSEEN)"),
                         ("OK", [b'"INBOX" (MESSAGES 2 UIDNEXT 3 UNSEEN 2)']))
        typ, data = client.status("Trash", "(MESSAGES UIDVALIDITY)")
        self.assertEqual(typ, "OK")
        self.assertRegex(data[0], rb'^"Trash" \(MESSAGES 0 UIDVALIDITY \d+\)$')
        typ, data = client.status("Nowhere", "(MESSAGES)")
        self.assertEqual((typ, data), ("NO", [b"[NONEXISTENT] No such folder"]))
        client.logout()

    def test_examine_is_read_only(self):
        self.deliver("read only")
        client = self.login()
        self.assertEqual(client.select("INBOX", readonly=True), ("OK", [b"1"]))
        self.assertEqual(client.store("1", "+FLAGS", "(\\Flagged)"),
                         ("NO", [b"[CANNOT] The folder is read-only (EXAMINE)"]))
        # BODY[] does not set \Seen in a read-only folder.
        client.fetch("1", "(BODY[])")
        self.assertEqual(client.fetch("1", "(FLAGS)"), ("OK", [b"1 (FLAGS ())"]))
        client.logout()

    def test_unselect_and_close(self):
        self.deliver("closing")
        client = self.login()
        client.select("INBOX")
        client.store("1", "+FLAGS.SILENT", "(\\Deleted)")
        self.assertEqual(client.unselect(), ("OK", [b"UNSELECT completed"]))
        self.assertEqual(len(self.message_files()), 1)  # UNSELECT does not expunge
        client.select("INBOX")
        self.assertEqual(client.close(), ("OK", [b"CLOSE completed"]))
        self.assertEqual(self.message_files(), [])  # CLOSE does
        with self.assertRaises(imaplib.IMAP4.error):
            client.fetch("1", "(FLAGS)")  # no folder selected
        client.logout()


class Messages(ImapTestBase):
    def test_fetch_items_of_a_delivered_message(self):
        self.deliver("Hello IMAP", "First line.\r\nSecond line.\r\n")
        [stored] = self.mailbox_messages(ALICE)
        client = self.login()
        self.assertEqual(client.select("INBOX"), ("OK", [b"1"]))
        self.assertEqual(client.fetch("1", "(FLAGS UID RFC822.SIZE)"),
                         ("OK", [b"1 (FLAGS () UID 1 RFC822.SIZE %d)" % len(stored)]))
        typ, data = client.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        self.assertEqual(data[0], (b"1 (BODY[HEADER.FIELDS (SUBJECT)] {23}", b"Subject: Hello IMAP\r\n\r\n"))
        typ, data = client.uid("FETCH", "1", "(BODY.PEEK[TEXT])")
        self.assertEqual(data[0], (b"1 (UID 1 BODY[TEXT] {27}", b"First line.\r\nSecond line.\r\n"))
        typ, data = client.fetch("1", "(BODYSTRUCTURE)")
        self.assertEqual(data, [b'1 (BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 27 2 '
                                b'NIL NIL NIL NIL))'])
        typ, data = client.fetch("1", "(BODY.PEEK[]<0.5>)")
        self.assertEqual(data[0], (b"1 (BODY[]<0> {5}", stored[:5]))
        typ, data = client.fetch("1", "(BODY.PEEK[])")
        self.assertEqual(data[0], (b"1 (BODY[] {%d}" % len(stored), stored))
        typ, data = client.fetch("1", "(ENVELOPE)")
        self.assertIn(b'"Hello IMAP"', data[0])
        with self.assertRaises(imaplib.IMAP4.error):
            client.fetch("2", "(FLAGS)")  # beyond the last message
        client.logout()

    def test_seen_set_by_body_not_by_peek(self):
        self.deliver("seen")
        client = self.login()
        client.select("INBOX")
        client.fetch("1", "(BODY.PEEK[])")
        self.assertEqual(client.fetch("1", "(FLAGS)"), ("OK", [b"1 (FLAGS ())"]))
        typ, data = client.fetch("1", "(BODY[TEXT])")
        self.assertEqual(data[0][0], b"1 (BODY[TEXT] {8}")
        self.assertEqual(data[1], b" FLAGS (\\Seen))")
        self.assertEqual(client.fetch("1", "(FLAGS)"), ("OK", [b"1 (FLAGS (\\Seen))"]))
        self.assertEqual(client.status("INBOX", "(UNSEEN)"), ("OK", [b'"INBOX" (UNSEEN 0)']))
        client.logout()

    def test_store_flags_and_expunge(self):
        self.deliver("keep")
        self.deliver("remove")
        client = self.login()
        client.select("INBOX")
        self.assertEqual(client.store("1", "+FLAGS", "(\\Flagged)"), ("OK", [b"1 (FLAGS (\\Flagged))"]))
        self.assertEqual(client.fetch("1", "(FLAGS)"), ("OK", [b"1 (FLAGS (\\Flagged))"]))
        self.assertEqual(client.store("1", "-FLAGS", "(\\Flagged)"), ("OK", [b"1 (FLAGS ())"]))
        self.assertEqual(client.uid("STORE", "2", "FLAGS", "(\\Deleted \\Seen)"),
                         ("OK", [b"2 (FLAGS (\\Deleted \\Seen) UID 2)"]))
        self.assertEqual(client.expunge(), ("OK", [b"2"]))
        self.assertEqual(client.fetch("1:*", "(UID)"), ("OK", [b"1 (UID 1)"]))
        self.assertEqual(len(self.message_files()), 1)
        self.assertEqual([m.split(b"Subject: ")[1].split(b"\r\n")[0] for m in self.mailbox_messages(ALICE)], [b"keep"])
        client.logout()

    def test_new_mail_reported_at_noop_to_a_second_session(self):
        self.deliver("first")
        watcher = self.login()
        self.assertEqual(watcher.select("INBOX"), ("OK", [b"1"]))
        watcher.response("EXISTS")  # forget the EXISTS of SELECT
        self.deliver("second")
        self.assertEqual(watcher.noop(), ("OK", [b"NOOP completed"]))
        self.assertEqual(watcher.response("EXISTS"), ("EXISTS", [b"2"]))
        other = self.login()
        other.select("INBOX")
        other.store("1", "+FLAGS", "(\\Deleted)")
        other.expunge()
        typ, _ = watcher.noop()
        self.assertEqual(watcher.response("EXPUNGE"), ("EXPUNGE", [b"1"]))
        self.assertEqual(watcher.fetch("1", "(UID)"), ("OK", [b"1 (UID 2)"]))
        other.logout()
        watcher.logout()


if __name__ == "__main__":
    unittest.main()
