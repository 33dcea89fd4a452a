"""ENABLE (RFC 5161), IMAP4rev2 (RFC 9051) with UTF-8 mailbox names against modified UTF-7 in
IMAP4rev1 (RFC 3501 §5.1.3), CONDSTORE and QRESYNC (RFC 7162) through the real promaild over raw
TLS sockets: the RFCs' example flows, their error responses and two sessions on one mailbox."""
import re
import socket
import sqlite3
import time
import unittest

from test_imap import ALICE, PASSWORD, ImapTestBase, message, tls_context


class Session:
    """A raw IMAP session: send a tagged command, read until its tagged response."""

    def __init__(self, test, port):
        self.test = test
        self.sock = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10))
        self.buffer = b""
        self.counter = 0
        self.greeting = self.read_until(b"\r\n")

    def read_until(self, expected, timeout=10):
        deadline = time.monotonic() + timeout
        while expected not in self.buffer and time.monotonic() < deadline:
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            self.buffer += chunk
        end = self.buffer.find(expected)
        if end < 0:
            received, self.buffer = self.buffer, b""
            return received
        end += len(expected)
        received, self.buffer = self.buffer[:end], self.buffer[end:]
        return received

    def command(self, text):
        """The untagged lines and the tagged line of one command, as a list of bytes without CRLF."""
        self.counter += 1
        tag = f"c{self.counter}".encode()
        self.sock.sendall(tag + b" " + (text if isinstance(text, bytes) else text.encode()) + b"\r\n")
        received = b""
        while True:
            line = self.read_until(b"\r\n")
            received += line
            if not line.endswith(b"\r\n") or line.startswith(tag + b" "):
                break
        lines = received.split(b"\r\n")[:-1]
        self.test.assertTrue(lines and lines[-1].startswith(tag + b" "), received)
        lines[-1] = lines[-1][len(tag) + 1:]
        return lines

    def ok(self, text):
        lines = self.command(text)
        self.test.assertTrue(lines[-1].startswith(b"OK"), lines)
        return lines

    def close(self):
        self.sock.close()


class CondstoreTestBase(ImapTestBase):
    def session(self, login=True):
        session = Session(self, self.ports["imaps"])
        self.addCleanup(session.close)
        if login:
            session.ok(f'LOGIN {ALICE} "{PASSWORD}"')
        return session

    def append(self, folder, subject, flags=""):
        client = self.login()
        self.assertEqual(client.append(folder, flags or None, None, message(subject, "Hello.\r\n"))[0], "OK")
        client.logout()


class Enable(CondstoreTestBase):
    def test_enable_rules(self):
        before = self.session(login=False)
        # RFC 5161 §3.1: not before login.
        self.assertEqual(before.command("ENABLE IMAP4rev2"), [b"BAD Command not valid in this state"])
        s = self.session()
        self.assertIn(b" ENABLE ", s.ok("CAPABILITY")[0] + b" ")
        # Unknown extensions are ignored; the known one is named as the server spells it.
        self.assertEqual(s.command("ENABLE X-UNKNOWN imap4REV2"),
                         [b"* ENABLED IMAP4rev2", b"OK ENABLE completed"])
        # Already on: nothing newly enabled.
        self.assertEqual(s.command("ENABLE IMAP4rev2"), [b"* ENABLED", b"OK ENABLE completed"])
        self.assertEqual(s.command("ENABLE"), [b"BAD Syntax error: expected \" \""])
        # RFC 9051 §6.3.1: not once a folder is selected.
        s.ok("SELECT INBOX")
        self.assertEqual(s.command("ENABLE CONDSTORE"), [b"BAD ENABLE is only valid before a folder is selected"])


class Utf8Names(CondstoreTestBase):
    NAME = "Entwürfe/日本語"
    WIRE = "Entw&APw-rfe/&ZeVnLIqe-"

    def test_modified_utf7_in_imap4rev1(self):
        s = self.session()
        self.assertEqual(s.command(f'CREATE "{self.WIRE}"'), [b"OK CREATE completed"])
        self.assertIn(f'* LIST (\\HasNoChildren) "/" "{self.WIRE}"'.encode(), s.ok(f'LIST "" "Entw&APw-rfe/*"'))
        self.assertEqual(s.command(f'STATUS "{self.WIRE}" (MESSAGES RECENT)'),
                         [f'* STATUS "{self.WIRE}" (MESSAGES 0 RECENT 0)'.encode(), b"OK STATUS completed"])
        # RFC 3501 §5.1.3: 8-bit names, broken runs and encoded ASCII are not modified UTF-7.
        for bad in (b'"Entw\xc3\xbcrfe"', b'"&APw"', b'"&AGE-"', b'"&AP,-"'):
            self.assertEqual(s.command(b"CREATE " + bad),
                             [b"BAD Syntax error: mailbox name is not valid modified UTF-7 (RFC 3501 \xc2\xa75.1.3)"])
        self.assertEqual(s.command('LIST "" "&Zz"'),
                         [b"BAD Syntax error: mailbox name is not valid modified UTF-7 (RFC 3501 \xc2\xa75.1.3)"])
        # "&" itself is "&-".
        s.ok('CREATE "Tom &- Jerry"')
        self.assertIn(b'* LIST (\\HasNoChildren) "/" "Tom &- Jerry"', s.ok('LIST "" "Tom*"'))
        # The folder is the same one a UTF-8 session sees.
        self.append("INBOX", "x")
        u = self.session()
        u.ok("ENABLE IMAP4rev2")
        self.assertIn(f'* LIST (\\HasNoChildren) "/" "{self.NAME}"'.encode(), u.ok('LIST "" "*"'))
        self.assertIn(b'* LIST (\\HasNoChildren) "/" "Tom & Jerry"', u.ok('LIST "" "*"'))

    def test_enable_imap4rev2_switches_to_utf8(self):
        self.deliver("unseen")
        s = self.session()
        rev1 = s.ok("SELECT INBOX")
        self.assertIn(b"* 0 RECENT", rev1)
        self.assertIn(b"* OK [UNSEEN 1] First unseen message", rev1)
        s.ok("UNSELECT")
        s.ok("ENABLE IMAP4rev2")
        name = self.NAME.encode()
        self.assertEqual(s.command(b'CREATE "' + name + b'"'), [b"OK CREATE completed"])
        self.assertIn(b'* LIST (\\HasNoChildren) "/" "' + name + b'"', s.ok(b'LIST "" "Entw\xc3\xbcrfe/%"'))
        # RFC 9051 §5.1: the modified UTF-7 form is no longer decoded; it names another folder.
        self.assertEqual(s.command(f'SELECT "{self.WIRE}"'), [b"NO [NONEXISTENT] No such folder"])
        self.assertEqual(s.command(b'CREATE "bad \xff name"'),
                         [b"BAD Syntax error: mailbox name is not valid UTF-8 (RFC 9051 \xc2\xa75.1)"])
        # RFC 9051 Appendix E: no RECENT and no [UNSEEN]; SELECT sends a LIST response (§6.3.2).
        rev2 = s.ok("SELECT INBOX")
        self.assertEqual(rev2[:3], [b"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)", b"* 1 EXISTS",
                                    b'* LIST () "/" "INBOX"'])
        self.assertFalse([line for line in rev2 if b"RECENT" in line or b"UNSEEN" in line], rev2)
        self.assertIn(b'* LIST () "/" "' + name + b'"', s.ok(b'EXAMINE "' + name + b'"'))
        # STATUS: RECENT is gone, DELETED and SIZE are new (RFC 9051 §6.3.11).
        self.assertEqual(s.command("STATUS INBOX (RECENT)"),
                         [b"BAD Syntax error: RECENT is not a STATUS item in IMAP4rev2 (RFC 9051 Appendix E)"])
        status = s.ok("STATUS INBOX (MESSAGES DELETED SIZE)")[0]
        self.assertRegex(status, rb"^\* STATUS \"INBOX\" \(MESSAGES 1 DELETED 0 SIZE [1-9][0-9]*\)$")
        # A second IMAP4rev1 session sees the same folder in modified UTF-7.
        other = self.session()
        self.assertIn(f'* LIST (\\HasNoChildren) "/" "{self.WIRE}"'.encode(), other.ok('LIST "" "Entw*"'))
        self.assertEqual(other.command(f'RENAME "{self.WIRE}" "&AOk-t&AOk-"'), [b"OK RENAME completed"])
        self.assertIn('* LIST (\\HasNoChildren) "/" "été"'.encode(), s.ok('LIST "" "*t*"'))


class Condstore(CondstoreTestBase):
    def three_messages(self):
        for subject in ("one", "two", "three"):
            self.deliver(subject)

    def test_select_condstore_and_fetch_modseq(self):
        self.three_messages()
        s = self.session()
        # Without CONDSTORE: no HIGHESTMODSEQ.
        self.assertFalse([line for line in s.ok("EXAMINE INBOX") if b"HIGHESTMODSEQ" in line])
        # RFC 7162 §3.1.8: the SELECT parameter enables CONDSTORE and brings [HIGHESTMODSEQ].
        lines = s.ok("SELECT INBOX (CONDSTORE)")
        self.assertIn(b"* OK [HIGHESTMODSEQ 4] Highest", lines)
        self.assertEqual(lines[-1], b"OK [READ-WRITE] SELECT completed")
        self.assertEqual(s.command("FETCH 1:* (FLAGS MODSEQ)"),
                         [b"* 1 FETCH (FLAGS () MODSEQ (2))", b"* 2 FETCH (FLAGS () MODSEQ (3))",
                          b"* 3 FETCH (FLAGS () MODSEQ (4))", b"OK FETCH completed"])
        self.assertEqual(s.command("STORE 2 +FLAGS (\\Flagged)"),
                         [b"* 2 FETCH (FLAGS (\\Flagged) UID 2 MODSEQ (5))", b"OK STORE completed"])
        # RFC 7162 §3.1.4.1: CHANGEDSINCE returns only what changed, with MODSEQ implied.
        self.assertEqual(s.command("FETCH 1:* (FLAGS) (CHANGEDSINCE 4)"),
                         [b"* 2 FETCH (FLAGS (\\Flagged) MODSEQ (5))", b"OK FETCH completed"])
        self.assertEqual(s.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1)")[-1], b"OK UID FETCH completed")
        self.assertEqual(s.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE 5)"), [b"OK UID FETCH completed"])
        # A FETCH that sets \Seen reports UID and MODSEQ (RFC 7162 §3.2.4).
        lines = s.ok("FETCH 3 (BODY[HEADER.FIELDS (SUBJECT)])")
        self.assertTrue(lines[0].startswith(b"* 3 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {"), lines)
        self.assertEqual(lines[1], b"Subject: three")
        self.assertEqual(lines[3], b" FLAGS (\\Seen) UID 3 MODSEQ (6))")
        # STATUS HIGHESTMODSEQ (RFC 7162 §3.1.10).
        self.assertEqual(s.command("STATUS INBOX (HIGHESTMODSEQ MESSAGES)"),
                         [b'* STATUS "INBOX" (HIGHESTMODSEQ 6 MESSAGES 3)', b"OK STATUS completed"])

    def test_rfc7162_conditional_store(self):
        self.three_messages()
        s = self.session()
        s.ok("ENABLE CONDSTORE")
        s.ok("SELECT INBOX")
        # RFC 7162 §3.1.3 example: the messages unchanged since the given MODSEQ are changed, the
        # others are named in [MODIFIED]; .SILENT still reports the new MODSEQ.
        self.assertEqual(s.command("STORE 2 +FLAGS.SILENT (\\Answered)"),
                         [b"* 2 FETCH (UID 2 MODSEQ (5))", b"OK STORE completed"])
        self.assertEqual(s.command("STORE 3,1,2 (UNCHANGEDSINCE 4) +FLAGS.SILENT (\\Deleted)"),
                         [b"* 1 FETCH (UID 1 MODSEQ (6))", b"* 3 FETCH (UID 3 MODSEQ (6))",
                          b"OK [MODIFIED 2] Conditional STORE failed"])
        # UID STORE names UIDs in [MODIFIED]; UNCHANGEDSINCE 0 always fails (§3.1.3).
        self.assertEqual(s.command("UID STORE 1:3 (UNCHANGEDSINCE 0) -FLAGS (\\Deleted)"),
                         [b"OK [MODIFIED 1:3] Conditional STORE failed"])
        self.assertEqual(s.command("UID STORE 1,3 (UNCHANGEDSINCE 6) -FLAGS (\\Deleted)"),
                         [b"* 1 FETCH (FLAGS () UID 1 MODSEQ (8))", b"* 3 FETCH (FLAGS () UID 3 MODSEQ (8))",
                          b"OK UID STORE completed"])
        # Nothing changed by the failed ones.
        self.assertEqual(s.command("FETCH 1:3 (FLAGS MODSEQ)"),
                         [b"* 1 FETCH (FLAGS () MODSEQ (8))", b"* 2 FETCH (FLAGS (\\Answered) MODSEQ (5))",
                          b"* 3 FETCH (FLAGS () MODSEQ (8))", b"OK FETCH completed"])

    def test_two_sessions_see_each_others_modseq(self):
        self.three_messages()
        a = self.session()
        b = self.session()
        a.ok("SELECT INBOX (CONDSTORE)")
        b.ok("SELECT INBOX")  # b has not enabled CONDSTORE
        c = self.session()
        c.ok("ENABLE CONDSTORE")
        c.ok("EXAMINE INBOX")
        self.assertEqual(a.command("STORE 1 +FLAGS (\\Seen)"),
                         [b"* 1 FETCH (FLAGS (\\Seen) UID 1 MODSEQ (5))", b"OK STORE completed"])
        # b sees the flags only; c (CONDSTORE) sees UID and MODSEQ too (RFC 7162 §3.2.4).
        self.assertEqual(b.command("NOOP"), [b"* 1 FETCH (FLAGS (\\Seen))", b"OK NOOP completed"])
        self.assertEqual(c.command("NOOP"), [b"* 1 FETCH (FLAGS (\\Seen) UID 1 MODSEQ (5))", b"OK NOOP completed"])
        # b's conditional STORE loses against a's change: the first UNCHANGEDSINCE wins (§3.1.3).
        self.assertEqual(b.command("STORE 1 (UNCHANGEDSINCE 4) -FLAGS (\\Seen)"),
                         [b"* OK [HIGHESTMODSEQ 5] Highest", b"OK [MODIFIED 1] Conditional STORE failed"])
        # A change that puts the flags back still moves MODSEQ, which c is told (b's failed STORE
        # used up MODSEQ 6).
        a.ok("STORE 1 -FLAGS (\\Seen)")
        a.ok("STORE 1 +FLAGS (\\Seen)")
        self.assertEqual(c.command("NOOP"), [b"* 1 FETCH (FLAGS (\\Seen) UID 1 MODSEQ (8))", b"OK NOOP completed"])
        # CHANGEDSINCE sees another session's change without a NOOP first.
        a.ok("STORE 2 +FLAGS (\\Flagged)")
        self.assertEqual(c.command("FETCH 1:* (FLAGS) (CHANGEDSINCE 8)"),
                         [b"* 2 FETCH (FLAGS (\\Flagged) UID 2 MODSEQ (9))",
                          b"* 2 FETCH (FLAGS (\\Flagged) MODSEQ (9))", b"OK FETCH completed"])

    def test_implicit_enable_in_selected_state_and_errors(self):
        self.three_messages()
        s = self.session()
        s.ok("SELECT INBOX")
        # RFC 7162 §3.1: FETCH MODSEQ enables CONDSTORE; the client learns HIGHESTMODSEQ at once.
        self.assertEqual(s.command("FETCH 1 (MODSEQ)"),
                         [b"* OK [HIGHESTMODSEQ 4] Highest", b"* 1 FETCH (MODSEQ (2))", b"OK FETCH completed"])
        self.assertEqual(s.command("FETCH 1 (UID) (CHANGEDSINCE)"), [b"BAD Syntax error: unknown FETCH modifier"])
        self.assertEqual(s.command("FETCH 1 (UID) (CHANGEDSINCE x)"), [b"BAD Syntax error: expected a number"])
        self.assertEqual(s.command("FETCH 1 (UID) (FOO 1)"), [b"BAD Syntax error: unknown FETCH modifier"])
        self.assertEqual(s.command("FETCH 1 (UID) (CHANGEDSINCE 1 CHANGEDSINCE 2)"),
                         [b"BAD Syntax error: CHANGEDSINCE given twice"])
        self.assertEqual(s.command("UID FETCH 1 (UID) (VANISHED)"),
                         [b"BAD Syntax error: VANISHED needs CHANGEDSINCE (RFC 7162 \xc2\xa73.2.6)"])
        self.assertEqual(s.command("UID FETCH 1 (UID) (CHANGEDSINCE 1 VANISHED)"),
                         [b"BAD VANISHED needs UID FETCH and ENABLE QRESYNC (RFC 7162 \xc2\xa73.2.6)"])
        self.assertEqual(s.command("STORE 1 (UNCHANGEDSINCE) +FLAGS (\\Seen)"),
                         [b"BAD Syntax error: expected \"UNCHANGEDSINCE \""])
        self.assertEqual(s.command("STORE 1 (CHANGEDSINCE 5) +FLAGS (\\Seen)")[0][:3], b"BAD")
        self.assertEqual(s.command("SELECT INBOX (CONDSTORE FOO)"), [b"BAD Syntax error: unknown SELECT parameter"])
        self.assertEqual(s.command("STATUS INBOX (HIGHESTMODSEQ)"),
                         [b'* STATUS "INBOX" (HIGHESTMODSEQ 4)', b"OK STATUS completed"])
        # Read-only: a conditional STORE changes nothing either.
        s.ok("EXAMINE INBOX")
        self.assertEqual(s.command("STORE 1 (UNCHANGEDSINCE 9) +FLAGS (\\Seen)"),
                         [b"NO [CANNOT] The folder is read-only (EXAMINE)"])


class Qresync(CondstoreTestBase):
    def five_messages(self):
        for n in range(1, 6):
            self.deliver(f"message {n}")

    def uidvalidity(self, lines):
        [value] = [re.match(rb"\* OK \[UIDVALIDITY (\d+)\]", line).group(1) for line in lines
                   if line.startswith(b"* OK [UIDVALIDITY")]
        return value.decode()

    def changes_while_away(self):
        """Another session: \\Seen on UID 2 (MODSEQ 7), UIDs 3 and 4 expunged (9), a new UID 6 (10)."""
        b = self.session()
        b.ok("SELECT INBOX")
        b.ok("STORE 2 +FLAGS (\\Seen)")
        b.ok("STORE 3:4 +FLAGS (\\Deleted)")
        self.assertEqual(b.command("EXPUNGE"), [b"* 4 EXPUNGE", b"* 3 EXPUNGE", b"OK EXPUNGE completed"])
        b.ok("LOGOUT")
        self.deliver("message 6")

    def test_resync_after_changes_while_away(self):
        self.five_messages()
        a = self.session()
        # RFC 7162 §3.2.5: QRESYNC needs ENABLE QRESYNC first.
        self.assertEqual(a.command("SELECT INBOX (QRESYNC (1 1))"),
                         [b"BAD QRESYNC needs ENABLE QRESYNC first (RFC 7162 \xc2\xa73.2.5)"])
        self.assertEqual(a.command("ENABLE QRESYNC"), [b"* ENABLED QRESYNC", b"OK ENABLE completed"])
        lines = a.ok("SELECT INBOX")
        self.assertIn(b"* OK [HIGHESTMODSEQ 6] Highest", lines)  # QRESYNC implies CONDSTORE
        uidvalidity = self.uidvalidity(lines)
        a.ok("LOGOUT")
        self.changes_while_away()

        # RFC 7162 §3.2.5.2 example flow: what vanished, then what changed, before the tagged OK.
        a = self.session()
        a.ok("ENABLE QRESYNC")
        lines = a.ok(f"SELECT INBOX (QRESYNC ({uidvalidity} 6 1:5))")
        self.assertEqual(lines[1], b"* 4 EXISTS")
        self.assertEqual(lines[-4:], [b"* VANISHED (EARLIER) 3:4", b"* 2 FETCH (FLAGS (\\Seen) UID 2 MODSEQ (7))",
                                      b"* 4 FETCH (FLAGS () UID 6 MODSEQ (10))", b"OK [READ-WRITE] SELECT completed"])
        # RFC 7162 §3.2.11: SELECT while a folder is selected closes it first: [CLOSED] comes first.
        # Known UIDs limit VANISHED; the sequence match data is accepted.
        lines = a.ok(f"EXAMINE INBOX (QRESYNC ({uidvalidity} 7 1:2,5 (1:3 1,2,5)))")
        self.assertEqual(lines[0], b"* OK [CLOSED] Previous folder closed")
        self.assertEqual(lines[-3:], [b"* OK [HIGHESTMODSEQ 10] Highest", b"* 4 FETCH (FLAGS () UID 6 MODSEQ (10))",
                                      b"OK [READ-ONLY] EXAMINE completed"])
        # Without known UIDs every UID expunged since is named.
        lines = a.ok(f"EXAMINE INBOX (QRESYNC ({uidvalidity} 8))")
        self.assertEqual(lines[-3:], [b"* VANISHED (EARLIER) 3:4", b"* 4 FETCH (FLAGS () UID 6 MODSEQ (10))",
                                      b"OK [READ-ONLY] EXAMINE completed"])
        # Another UIDVALIDITY: the cache is void, nothing to resynchronize.
        lines = a.ok("EXAMINE INBOX (QRESYNC (1 6 1:5))")
        self.assertEqual(lines[-2:], [b"* OK [HIGHESTMODSEQ 10] Highest", b"OK [READ-ONLY] EXAMINE completed"])
        # Malformed parameters.
        for bad in ("SELECT INBOX (QRESYNC (1))", "SELECT INBOX (QRESYNC (x 1))", "SELECT INBOX (QRESYNC (1 1 (1:2)))",
                    "SELECT INBOX (QRESYNC 1 1)", "SELECT INBOX (QRESYNC (1 1 1:2)"):
            self.assertEqual(a.command(bad)[-1][:3], b"BAD", bad)

    def test_uid_fetch_changedsince_vanished(self):
        self.five_messages()
        self.changes_while_away()
        a = self.session()
        a.ok("ENABLE QRESYNC")
        a.ok("SELECT INBOX")
        # RFC 7162 §3.2.6: the UIDs of the set expunged since, then the changed messages.
        self.assertEqual(a.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE 6 VANISHED)"),
                         [b"* VANISHED (EARLIER) 3:4", b"* 2 FETCH (UID 2 FLAGS (\\Seen) MODSEQ (7))",
                          b"* 4 FETCH (UID 6 FLAGS () MODSEQ (10))", b"OK UID FETCH completed"])
        self.assertEqual(a.command("UID FETCH 4:5 (FLAGS) (CHANGEDSINCE 1 VANISHED)"),
                         [b"* VANISHED (EARLIER) 4", b"* 3 FETCH (UID 5 FLAGS () MODSEQ (6))", b"OK UID FETCH completed"])
        self.assertEqual(a.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE 10 VANISHED)"), [b"OK UID FETCH completed"])
        self.assertEqual(a.command("FETCH 1:* (FLAGS) (CHANGEDSINCE 6 VANISHED)"),
                         [b"BAD VANISHED needs UID FETCH and ENABLE QRESYNC (RFC 7162 \xc2\xa73.2.6)"])

    def test_vanished_between_two_sessions(self):
        self.five_messages()
        a = self.session()
        a.ok("ENABLE QRESYNC")
        a.ok("SELECT INBOX")
        b = self.session()
        b.ok("SELECT INBOX")
        # a's own EXPUNGE answers with VANISHED (RFC 7162 §3.2.10); b, without QRESYNC, gets EXPUNGE.
        a.ok("STORE 2,4 +FLAGS.SILENT (\\Deleted)")
        self.assertEqual(a.command("EXPUNGE"), [b"* VANISHED 2,4", b"OK EXPUNGE completed"])
        self.assertEqual(b.command("NOOP"), [b"* 4 EXPUNGE", b"* 2 EXPUNGE", b"OK NOOP completed"])
        # b moves a message away and expunges another with UID EXPUNGE: a sees VANISHED at its NOOP.
        self.assertEqual(b.command("UID MOVE 1 Archive")[-1], b"OK UID MOVE completed")
        b.ok("UID STORE 5 +FLAGS (\\Deleted)")
        b.ok("UID EXPUNGE 5")
        self.assertEqual(a.command("NOOP"), [b"* VANISHED 1,5", b"OK NOOP completed"])

    def test_folder_older_than_the_expunge_log(self):
        """A folder from before migration 6 has expunges the log never saw: VANISHED (EARLIER) then
        names every UID under UIDNEXT that is not there (RFC 7162 §3.2.5.2 allows UIDs the client
        never knew)."""
        self.five_messages()
        s = self.session()
        s.ok("SELECT INBOX")
        s.ok("STORE 2 +FLAGS (\\Deleted)")
        s.ok("EXPUNGE")
        s.ok("LOGOUT")
        db = sqlite3.connect(f"{self.daemon.data_dir}/promail.db", timeout=10)
        with db:
            db.execute("DELETE FROM expunged_messages")
            db.execute("UPDATE folders SET vanished_since = highest_modseq WHERE name = 'INBOX'")
        db.close()
        a = self.session()
        a.ok("ENABLE QRESYNC")
        uidvalidity = self.uidvalidity(a.ok("SELECT INBOX"))
        lines = a.ok(f"SELECT INBOX (QRESYNC ({uidvalidity} 6 1:5))")
        self.assertEqual(lines[-2:], [b"* VANISHED (EARLIER) 2", b"OK [READ-WRITE] SELECT completed"])
        self.assertEqual(a.command("UID FETCH 1:* (UID) (CHANGEDSINCE 3 VANISHED)"),
                         [b"* VANISHED (EARLIER) 2", b"* 2 FETCH (UID 3 MODSEQ (4))", b"* 3 FETCH (UID 4 MODSEQ (5))",
                          b"* 4 FETCH (UID 5 MODSEQ (6))", b"OK UID FETCH completed"])


if __name__ == "__main__":
    unittest.main()
