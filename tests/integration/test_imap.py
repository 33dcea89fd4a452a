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
LIST_CAPS = ("LIST-EXTENDED", "LIST-STATUS", "CREATE-SPECIAL-USE", "STATUS=SIZE", "APPENDLIMIT=52428800", "ID", "QUOTA",
             "QUOTA=RES-STORAGE", "QUOTA=RES-MESSAGE", "LITERAL-", "BINARY", "COMPRESS=DEFLATE")
SEARCH_CAPS = ("ESEARCH", "SEARCHRES", "SORT", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES")
CAPS_BEFORE_TLS = ("IMAP4REV1", "IMAP4REV2", "ENABLE", "CONDSTORE", "QRESYNC", "STARTTLS", "LOGINDISABLED", "CHILDREN", "IDLE", "MOVE", "SPECIAL-USE", "UIDPLUS", "UNSELECT",
                   "NAMESPACE", "ACL", "RIGHTS=TEXK") + LIST_CAPS + SEARCH_CAPS
CAPS_TLS = ("IMAP4REV1", "IMAP4REV2", "ENABLE", "CONDSTORE", "QRESYNC", "AUTH=PLAIN", "SASL-IR", "CHILDREN", "IDLE", "MOVE", "SPECIAL-USE", "UIDPLUS", "UNSELECT",
            "NAMESPACE", "ACL", "RIGHTS=TEXK") + LIST_CAPS + SEARCH_CAPS


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
        self.assertEqual(client.login(ALICE, PASSWORD), ("OK", [b"[CAPABILITY IMAP4rev1 IMAP4rev2 ENABLE CONDSTORE QRESYNC CHILDREN IDLE MOVE SPECIAL-USE UIDPLUS UNSELECT NAMESPACE ACL RIGHTS=texk "
                         b"LIST-EXTENDED LIST-STATUS CREATE-SPECIAL-USE STATUS=SIZE APPENDLIMIT=52428800 ID QUOTA QUOTA=RES-STORAGE "
                         b"QUOTA=RES-MESSAGE LITERAL- BINARY COMPRESS=DEFLATE ESEARCH SEARCHRES SORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES] Logged in"]))
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


class FolderAdministration(ImapTestBase):
    def test_create_rename_delete(self):
        client = self.login()
        # RFC 9051 §6.3.4: the missing parent level is made too; CHILDREN (RFC 3348) marks it.
        self.assertEqual(client.create("Projects/2026"), ("OK", [b"CREATE completed"]))
        self.assertEqual(client.list('""', "Projects*"), ("OK", [b'(\\HasChildren) "/" "Projects"',
                                                               b'(\\HasNoChildren) "/" "Projects/2026"']))
        self.assertEqual(client.create("Projects"), ("NO", [b"[ALREADYEXISTS] folder Projects already exists"]))
        self.assertEqual(client.create("inbox"), ("NO", [b"[ALREADYEXISTS] folder INBOX already exists"]))
        self.assertEqual(client.create('"Bad%Name"'), ("NO", [b'[CANNOT] a folder name contains no "%" or "*"']))
        self.assertEqual(client.delete("Projects"), ("NO", [b"[HASCHILDREN] folder Projects has child folders"]))
        self.assertEqual(client.rename("Projects", "Work"), ("OK", [b"RENAME completed"]))
        self.assertEqual(client.list('""', "Work*"), ("OK", [b'(\\HasChildren) "/" "Work"',
                                                           b'(\\HasNoChildren) "/" "Work/2026"']))
        self.assertEqual(client.list('""', "Projects*"), ("OK", [None]))
        self.assertEqual(client.rename("Nowhere", "Else"), ("NO", [b"[NONEXISTENT] folder Nowhere does not exist"]))
        self.assertEqual(client.rename("Work", "Sent"), ("NO", [b"[ALREADYEXISTS] folder Sent already exists"]))
        self.assertEqual(client.delete("INBOX"), ("NO", [b"[CANNOT] INBOX cannot be deleted"]))
        self.assertEqual(client.delete("Work/2026"), ("OK", [b"DELETE completed"]))
        self.assertEqual(client.delete("Work/2026"), ("NO", [b"[NONEXISTENT] folder Work/2026 does not exist"]))
        self.assertEqual(client.list('""', "Work*"), ("OK", [b'(\\HasNoChildren) "/" "Work"']))
        client.logout()

    def test_new_folder_holds_delivered_mail_until_deleted(self):
        self.deliver("filed")
        client = self.login()
        self.assertEqual(client.create("Keep"), ("OK", [b"CREATE completed"]))
        self.assertEqual(client.status("Keep", "(MESSAGES UIDNEXT)"), ("OK", [b'"Keep" (MESSAGES 0 UIDNEXT 1)']))
        # A second session sees the new folder at once.
        other = self.login()
        self.assertEqual(other.list('""', "Keep"), ("OK", [b'(\\HasNoChildren) "/" "Keep"']))
        self.assertEqual(other.select("Keep"), ("OK", [b"0"]))
        other.logout()
        self.assertEqual(client.delete("Keep"), ("OK", [b"DELETE completed"]))
        self.assertEqual(client.select("Keep"), ("NO", [b"[NONEXISTENT] No such folder"]))
        self.assertEqual(len(self.message_files()), 1)  # the INBOX message is untouched
        client.logout()

    def test_subscribe_unsubscribe_lsub(self):
        client = self.login()
        # The standard folders start subscribed; a new folder too, so LIST-only clients show it.
        self.assertEqual(client.create("News"), ("OK", [b"CREATE completed"]))
        self.assertEqual(client.lsub('""', "N*"), ("OK", [b'(\\HasNoChildren) "/" "News"']))
        self.assertEqual(client.unsubscribe("News"), ("OK", [b"UNSUBSCRIBE completed"]))
        self.assertEqual(client.lsub('""', "N*"), ("OK", [None]))
        self.assertEqual(client.list('""', "N*"), ("OK", [b'(\\HasNoChildren) "/" "News"']))
        self.assertEqual(client.subscribe("News"), ("OK", [b"SUBSCRIBE completed"]))
        self.assertEqual(client.lsub('""', "N*"), ("OK", [b'(\\HasNoChildren) "/" "News"']))
        self.assertEqual(client.subscribe("Nowhere"), ("NO", [b"[NONEXISTENT] folder Nowhere does not exist"]))
        typ, data = client.lsub('""', "*")
        self.assertEqual((typ, len(data)), ("OK", 7))
        client.logout()

    def test_folder_commands_need_login(self):
        sock = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", self.ports["imaps"]), timeout=10))
        sock.recv(4096)
        sock.sendall(b"a1 CREATE Early\r\n")
        self.assertEqual(sock.recv(4096), b"a1 BAD Command not valid in this state\r\n")
        sock.close()


class CopyMove(ImapTestBase):
    def spam_events(self):
        import sqlite3
        db = sqlite3.connect(f"file:{self.daemon.data_dir}/promail.db?mode=ro", uri=True)
        try:
            return [row[0] for row in db.execute("SELECT verdict FROM spam_training_events ORDER BY id")]
        finally:
            db.close()

    def subjects(self, folder):
        return [m.split(b"Subject: ")[1].split(b"\r\n")[0] for m in self.mailbox_messages(ALICE, folder)]

    def test_copy_with_copyuid(self):
        self.deliver("one")
        self.deliver("two")
        self.deliver("three")
        client = self.login()
        client.select("INBOX")
        typ, data = client.copy("1,3", "Archive")
        self.assertEqual(typ, "OK")
        self.assertRegex(data[0], rb"^\[COPYUID \d+ 1,3 1:2\] COPY completed$")
        validity = client.status("Archive", "(UIDVALIDITY)")[1][0].split()[-1].rstrip(b")")
        self.assertEqual(data[0], b"[COPYUID " + validity + b" 1,3 1:2] COPY completed")
        self.assertEqual(client._simple_command("UID", "COPY", "2:*", "Archive"),
                         ("OK", [b"[COPYUID " + validity + b" 2:3 3:4] UID COPY completed"]))
        # RFC 9051 §6.4.8: UIDs that do not exist are no error; nothing is copied.
        self.assertEqual(client._simple_command("UID", "COPY", "40:50", "Archive"), ("OK", [b"UID COPY completed"]))
        self.assertEqual(self.subjects("Archive"), [b"one", b"three", b"two", b"three"])
        self.assertEqual(self.subjects("INBOX"), [b"one", b"two", b"three"])
        self.assertEqual(client.copy("1", "Nowhere"), ("NO", [b"[TRYCREATE] No such folder"]))
        with self.assertRaises(imaplib.IMAP4.error):
            client.copy("9", "Archive")  # beyond the last message
        # Flags travel with the copy (RFC 9051 §6.4.7).
        client.store("1", "+FLAGS", "(\\Flagged)")
        client.copy("1", "Drafts")
        client.select("Drafts")
        self.assertEqual(client.fetch("1", "(FLAGS UID)"), ("OK", [b"1 (FLAGS (\\Flagged) UID 1)"]))
        client.logout()

    def test_move_sends_expunge_and_copyuid(self):
        self.deliver("one")
        self.deliver("two")
        self.deliver("three")
        client = self.login()
        client.select("INBOX")
        typ, data = client._simple_command("MOVE", "1:2", "Archive")
        self.assertEqual((typ, data), ("OK", [b"MOVE completed"]))
        # RFC 6851 §4.3: COPYUID in an untagged OK, then one EXPUNGE per moved message, from the
        # highest number down so no number shifts before it is sent.
        moved = client.response("OK")
        self.assertEqual(client.response("EXPUNGE"), ("EXPUNGE", [b"2", b"1"]))
        validity = client.status("Archive", "(UIDVALIDITY)")[1][0].split()[-1].rstrip(b")")
        self.assertEqual(moved, ("OK", [b"[COPYUID " + validity + b" 1:2 1:2] Moved"]))
        self.assertEqual(client.fetch("1:*", "(UID)"), ("OK", [b"1 (UID 3)"]))
        self.assertEqual(self.subjects("Archive"), [b"one", b"two"])
        self.assertEqual(client._simple_command("UID", "MOVE", "3", "Trash"), ("OK", [b"UID MOVE completed"]))
        self.assertEqual(client.response("EXPUNGE"), ("EXPUNGE", [b"1"]))
        self.assertEqual(self.subjects("INBOX"), [])
        self.assertEqual(len(self.message_files()), 3)  # moved, not copied
        client.select("Archive")
        self.assertEqual(client._simple_command("MOVE", "1", "Archive"),
                         ("NO", [b"[CANNOT] a message cannot be moved into its own folder"]))
        self.assertEqual(client._simple_command("MOVE", "1", "Nowhere"), ("NO", [b"[TRYCREATE] No such folder"]))
        client.select("Archive", readonly=True)
        self.assertEqual(client._simple_command("MOVE", "1", "INBOX"),
                         ("NO", [b"[CANNOT] The folder is read-only (EXAMINE)"]))
        client.logout()

    def test_move_is_seen_by_a_second_session(self):
        self.deliver("one")
        self.deliver("two")
        watcher = self.login()
        watcher.select("INBOX")
        mover = self.login()
        mover.select("INBOX")
        mover._simple_command("MOVE", "1", "Archive")
        watcher.noop()
        self.assertEqual(watcher.response("EXPUNGE"), ("EXPUNGE", [b"1"]))
        self.assertEqual(watcher.fetch("1:*", "(UID)"), ("OK", [b"1 (UID 2)"]))
        mover.logout()
        watcher.logout()

    def test_spam_training_events(self):
        self.deliver("junk")
        self.deliver("good")
        client = self.login()
        client.select("INBOX")
        client._simple_command("MOVE", "1:2", "Spam")
        self.assertEqual(self.spam_events(), ["spam", "spam"])
        client.select("Spam")
        client._simple_command("UID", "MOVE", "2", "INBOX")  # out of \Junk: the filter unlearns
        client._simple_command("MOVE", "1", "Trash")      # into Trash teaches nothing
        self.assertEqual(self.spam_events(), ["spam", "spam", "ham"])
        self.assertEqual(self.subjects("INBOX"), [b"good"])
        client.logout()

    def test_over_quota(self):
        self.daemon.ctl("mailbox", "set", ALICE, "--quota-mib", "1", check=0)
        self.deliver("big", ("x" * 78 + "\r\n") * 7000)  # about 560 KB of the 1 MiB
        client = self.login()
        client.select("INBOX")
        self.assertEqual(client.copy("1", "Archive"),
                         ("NO", [b"[OVERQUOTA] The mailbox is over its storage quota"]))
        self.assertEqual(self.subjects("Archive"), [])
        # A move within the mailbox uses no more space and is allowed.
        self.assertEqual(client._simple_command("MOVE", "1", "Archive"), ("OK", [b"MOVE completed"]))
        client.logout()

    def test_uid_expunge(self):
        for subject in ("one", "two", "three"):
            self.deliver(subject)
        client = self.login()
        client.select("INBOX")
        client.store("1:3", "+FLAGS.SILENT", "(\\Deleted)")
        # RFC 4315 §2.1: only the \Deleted messages in the UID set go.
        self.assertEqual(client._simple_command("UID", "EXPUNGE", "2:3"), ("OK", [b"UID EXPUNGE completed"]))
        self.assertEqual(client.response("EXPUNGE"), ("EXPUNGE", [b"3", b"2"]))
        self.assertEqual(client.fetch("1:*", "(UID)"), ("OK", [b"1 (UID 1)"]))
        self.assertEqual(self.subjects("INBOX"), [b"one"])
        client.logout()


class Append(ImapTestBase):
    def test_append_with_flags_and_date(self):
        client = self.login()
        client.select("INBOX")
        raw = message("appended", "Stored over IMAP.\r\n")
        typ, data = client.append("Drafts", "(\\Draft \\Seen $Label)", '"05-Mar-2024 14:30:00 +0100"', raw)
        self.assertEqual(typ, "OK")
        validity = client.status("Drafts", "(UIDVALIDITY)")[1][0].split()[-1].rstrip(b")")
        self.assertEqual(data, [b"[APPENDUID " + validity + b" 1] APPEND completed"])
        self.assertEqual(self.mailbox_messages(ALICE, "Drafts"), [raw])
        client.select("Drafts")
        client.response("EXISTS")  # forget the EXISTS of SELECT
        self.assertEqual(client.fetch("1", "(FLAGS INTERNALDATE RFC822.SIZE)"), ("OK", [
            b'1 (FLAGS (\\Draft \\Seen $Label) INTERNALDATE "05-Mar-2024 13:30:00 +0000" RFC822.SIZE %d)' % len(raw)]))
        # Without flags and date; into the selected folder, which reports it with EXISTS.
        typ, data = client.append("Drafts", None, None, raw)
        self.assertEqual(data, [b"[APPENDUID " + validity + b" 2] APPEND completed"])
        self.assertEqual(client.response("EXISTS"), ("EXISTS", [b"2"]))
        self.assertEqual(client.fetch("2", "(FLAGS)"), ("OK", [b"2 (FLAGS ())"]))
        client.logout()

    def test_append_errors(self):
        client = self.login()
        raw = message("nowhere", "x\r\n")
        self.assertEqual(client.append("Nowhere", None, None, raw), ("NO", [b"[TRYCREATE] No such folder"]))
        with self.assertRaises(imaplib.IMAP4.error):
            client.append("INBOX", None, '"31-Feb-2024 10:00:00 +0000"', raw)  # no such day
        with self.assertRaises(imaplib.IMAP4.error):
            client.append("INBOX", "(\\Recent)", None, raw)
        self.assertEqual(self.mailbox_messages(ALICE), [])
        client.logout()

    def test_append_over_quota(self):
        self.daemon.ctl("mailbox", "set", ALICE, "--quota-mib", "1", check=0)
        client = self.login()
        big = message("big", ("x" * 78 + "\r\n") * 7000)
        self.assertEqual(client.append("INBOX", None, None, big)[0], "OK")
        self.assertEqual(client.append("INBOX", None, None, big),
                         ("NO", [b"[OVERQUOTA] The mailbox is over its storage quota"]))
        self.assertEqual(len(self.mailbox_messages(ALICE)), 1)
        client.logout()

    def test_append_literal_limit_is_the_smtp_message_size(self):
        self.daemon.ctl("settings", "set", "smtp.max_message_size", "200000", check=0)
        client = self.login()
        # Larger than the 64 KiB of other commands, within smtp.max_message_size.
        raw = message("large", ("y" * 78 + "\r\n") * 1500)
        self.assertEqual(client.append("INBOX", None, None, raw)[0], "OK")
        self.assertEqual(self.mailbox_messages(ALICE), [raw])
        client.logout()
        sock = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", self.ports["imaps"]), timeout=10))
        sock.recv(4096)
        sock.sendall(f"a1 LOGIN {ALICE} \"{PASSWORD}\"\r\n".encode())
        self.assertIn(b"a1 OK", sock.recv(4096))
        # RFC 9051 §7.1: refused before "+", so the client does not send the message.
        sock.sendall(b"a2 APPEND INBOX {200001}\r\n")
        self.assertEqual(sock.recv(4096), b"a2 NO [TOOBIG] Literal too large\r\n")
        sock.close()


class Idle(ImapTestBase):
    def read_until(self, sock, expected, timeout):
        """Bytes from `sock` until `expected` shows up or `timeout` seconds pass."""
        sock.settimeout(timeout)
        received = b""
        deadline = time.monotonic() + timeout
        while expected not in received and time.monotonic() < deadline:
            try:
                chunk = sock.recv(4096)
            except socket.timeout:
                break
            if not chunk:
                break
            received += chunk
        return received

    def idler(self):
        sock = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", self.ports["imaps"]), timeout=10))
        self.read_until(sock, b"\r\n", 10)
        sock.sendall(f"a1 LOGIN {ALICE} \"{PASSWORD}\"\r\n".encode())
        self.assertIn(b"a1 OK", self.read_until(sock, b"a1 OK", 10))
        sock.sendall(b"a2 SELECT INBOX\r\n")
        self.assertIn(b"a2 OK", self.read_until(sock, b"a2 OK", 10))
        sock.sendall(b"a3 IDLE\r\n")
        self.assertEqual(self.read_until(sock, b"\r\n", 10), b"+ idling\r\n")
        return sock

    def test_new_mail_within_one_second(self):
        self.deliver("before")
        sock = self.idler()
        self.deliver("while idling")
        started = time.monotonic()
        self.assertEqual(self.read_until(sock, b"EXISTS\r\n", 5), b"* 2 EXISTS\r\n")
        self.assertLess(time.monotonic() - started, 1.0)
        sock.sendall(b"DONE\r\n")
        self.assertEqual(self.read_until(sock, b"\r\n", 10), b"a3 OK IDLE terminated\r\n")
        sock.sendall(b"a4 FETCH 2 (UID)\r\n")
        self.assertEqual(self.read_until(sock, b"a4 OK", 10), b"* 2 FETCH (UID 2)\r\na4 OK FETCH completed\r\n")
        sock.close()

    def test_flags_and_expunge_from_another_session(self):
        self.deliver("one")
        self.deliver("two")
        sock = self.idler()
        other = self.login()
        other.select("INBOX")
        other.store("2", "+FLAGS", "(\\Flagged)")
        self.assertEqual(self.read_until(sock, b"\r\n", 5), b"* 2 FETCH (FLAGS (\\Flagged))\r\n")
        other.store("1", "+FLAGS", "(\\Deleted)")
        other.expunge()
        self.assertIn(b"* 1 EXPUNGE\r\n", self.read_until(sock, b"EXPUNGE\r\n", 5))
        other.logout()
        sock.sendall(b"NOT DONE\r\n")  # RFC 2177: anything else ends IDLE with BAD
        self.assertEqual(self.read_until(sock, b"\r\n", 10), b"a3 BAD Expected DONE\r\n")
        sock.sendall(b"a4 NOOP\r\n")
        self.assertEqual(self.read_until(sock, b"a4 OK", 10), b"a4 OK NOOP completed\r\n")
        sock.close()


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
