"""LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819), CREATE-SPECIAL-USE (RFC 6154 §3), STATUS=SIZE
(RFC 8438) with DELETED and DELETED-STORAGE, APPENDLIMIT (RFC 7889), ID (RFC 2971) and QUOTA
(RFC 9208, resources STORAGE and MESSAGE) through the real promaild over real sockets: the RFCs'
examples adapted to this server's folders, their error responses, and two sessions where one's
change must show in the other's answer."""
import imaplib
import re
import smtplib
import socket
import unittest

from test_imap import ALICE, PASSWORD, ImapTestBase, message, tls_context

BOB = "bob@example.org"


class Session:
    """A raw IMAP session over TLS: each command returns every response line up to its tagged one."""

    def __init__(self, port, address=None):
        self.sock = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10))
        self.buffer = b""
        self.counter = 0
        self.greeting = self.line()
        if address:
            self.login(address)

    def line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def send(self, data):
        self.sock.sendall(data)

    def command(self, text):
        """Sends `text` with a fresh tag; returns (untagged lines, tagged line without its tag)."""
        self.counter += 1
        tag = b"t%d" % self.counter
        self.send(tag + b" " + (text.encode() if isinstance(text, str) else text) + b"\r\n")
        return self.responses(tag)

    def responses(self, tag):
        lines = []
        while True:
            line = self.line()
            if line.startswith(tag + b" "):
                return lines, line[len(tag) + 1:]
            lines.append(line)

    def login(self, address):
        _, done = self.command(f'LOGIN {address} "{PASSWORD}"')
        assert done.startswith(b"OK"), done

    def close(self):
        try:
            self.command("LOGOUT")
        finally:
            self.sock.close()


class ListTestBase(ImapTestBase):
    def session(self, address=ALICE):
        session = Session(self.ports["imaps"], address)
        self.addCleanup(session.sock.close)
        return session

    def add_mailbox(self, address):
        self.daemon.ctl("mailbox", "add", address, "--password-stdin", stdin=PASSWORD + "\n", check=0)

    def append(self, s, folder, raw, flags=b""):
        """APPEND with a synchronizing literal; returns the tagged line."""
        s.counter += 1
        tag = b"t%d" % s.counter
        s.send(tag + b" APPEND " + folder.encode() + (b" (" + flags + b")" if flags else b"") +
               b" {%d}\r\n" % len(raw))
        continuation = s.line()
        if not continuation.startswith(b"+"):
            return continuation[len(tag) + 1:]
        s.send(raw + b"\r\n")
        return s.responses(tag)[1]


class ListExtended(ListTestBase):
    def folders(self, s):
        """Foo (unsubscribed) with Foo/Bar (subscribed) and Foo/Baz (unsubscribed); Moo (unsubscribed)."""
        for name in ("Foo/Bar", "Foo/Baz", "Moo"):
            self.assertEqual(s.command(f"CREATE {name}")[1], b"OK CREATE completed")
        for name in ("Foo", "Foo/Baz", "Moo"):
            self.assertEqual(s.command(f"UNSUBSCRIBE {name}")[1], b"OK UNSUBSCRIBE completed")

    def test_rfc5258_examples(self):
        s = self.session()
        self.folders(s)
        # RFC 5258 §5 example 1: the basic LIST is unchanged.
        self.assertEqual(s.command('LIST "" %'), ([
            b'* LIST (\\HasNoChildren \\Archive) "/" "Archive"', b'* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
            b'* LIST (\\HasChildren) "/" "Foo"', b'* LIST (\\HasNoChildren) "/" "INBOX"',
            b'* LIST (\\HasNoChildren) "/" "Moo"', b'* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
            b'* LIST (\\HasNoChildren \\Junk) "/" "Spam"', b'* LIST (\\HasNoChildren \\Trash) "/" "Trash"'],
            b"OK LIST completed"))
        # Example 2: SUBSCRIBED selection lists the subscribed folders with \Subscribed.
        self.assertEqual(s.command('LIST (SUBSCRIBED) "" "*"')[0], [
            b'* LIST (\\HasNoChildren \\Subscribed \\Archive) "/" "Archive"',
            b'* LIST (\\HasNoChildren \\Subscribed \\Drafts) "/" "Drafts"',
            b'* LIST (\\HasNoChildren \\Subscribed) "/" "Foo/Bar"',
            b'* LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"',
            b'* LIST (\\HasNoChildren \\Subscribed \\Sent) "/" "Sent"',
            b'* LIST (\\HasNoChildren \\Subscribed \\Junk) "/" "Spam"',
            b'* LIST (\\HasNoChildren \\Subscribed \\Trash) "/" "Trash"'])
        # Example 3: RETURN (SUBSCRIBED CHILDREN) over every folder, with several patterns.
        self.assertEqual(s.command('LIST "" ("Foo" "Foo/%" "M*") RETURN (SUBSCRIBED CHILDREN)'), ([
            b'* LIST (\\HasChildren) "/" "Foo"', b'* LIST (\\HasNoChildren \\Subscribed) "/" "Foo/Bar"',
            b'* LIST (\\HasNoChildren) "/" "Foo/Baz"', b'* LIST (\\HasNoChildren) "/" "Moo"'], b"OK LIST completed"))
        # Example 6 (§5): RECURSIVEMATCH lists an unsubscribed parent of a subscribed folder with CHILDINFO.
        self.assertEqual(s.command('LIST (SUBSCRIBED RECURSIVEMATCH) "" "F%"'), ([
            b'* LIST (\\HasChildren) "/" "Foo" ("CHILDINFO" ("SUBSCRIBED"))'], b"OK LIST completed"))
        self.assertEqual(s.command('LIST (SUBSCRIBED) "" "F%"'), ([], b"OK LIST completed"))
        # REMOTE changes nothing here: no remote mailboxes; the empty pattern still names the delimiter.
        self.assertEqual(s.command('LIST (REMOTE) "" "M%"')[0], [b'* LIST (\\HasNoChildren) "/" "Moo"'])
        self.assertEqual(s.command('LIST "" ""')[0], [b'* LIST (\\Noselect) "/" ""'])
        # Errors: RECURSIVEMATCH alone, unknown options, a bad pattern list (RFC 5258 §3: BAD).
        for bad in ('LIST (RECURSIVEMATCH) "" "%"', 'LIST (REMOTE RECURSIVEMATCH) "" "%"', 'LIST (FOO) "" "%"',
                    'LIST "" "%" RETURN (FOO)', 'LIST "" "%" RETURN', 'LIST "" ("%" ', 'LIST "" () ',
                    'LSUB () "" "%"', 'LSUB "" ("%" "*")'):
            lines, done = s.command(bad)
            self.assertEqual(lines, [], bad)
            self.assertTrue(done.startswith(b"BAD Syntax error"), (bad, done))

    def test_special_use_selection_and_return(self):
        s = self.session()
        self.folders(s)
        # RFC 6154 §5.3: only the special-use folders; §5.2: the attributes with RETURN (SPECIAL-USE).
        self.assertEqual(s.command('LIST (SPECIAL-USE) "" "*"'), ([
            b'* LIST (\\HasNoChildren \\Archive) "/" "Archive"', b'* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
            b'* LIST (\\HasNoChildren \\Sent) "/" "Sent"', b'* LIST (\\HasNoChildren \\Junk) "/" "Spam"',
            b'* LIST (\\HasNoChildren \\Trash) "/" "Trash"'], b"OK LIST completed"))
        self.assertEqual(s.command('LIST "" "[ST]%" RETURN (SPECIAL-USE)')[0], [])  # no folder starts with "["
        self.assertEqual(s.command('LIST "" "S%" RETURN (SPECIAL-USE)')[0], [
            b'* LIST (\\HasNoChildren \\Sent) "/" "Sent"', b'* LIST (\\HasNoChildren \\Junk) "/" "Spam"'])
        # Both selections: special-use folders that are subscribed.
        s.command("UNSUBSCRIBE Spam")
        self.assertEqual(s.command('LIST (SPECIAL-USE SUBSCRIBED) "" "S*"')[0], [
            b'* LIST (\\HasNoChildren \\Subscribed \\Sent) "/" "Sent"'])

    def test_subscription_seen_by_another_session(self):
        one, two = self.session(), self.session()
        self.folders(one)
        self.assertEqual(two.command('LIST (SUBSCRIBED) "" "Moo"'), ([], b"OK LIST completed"))
        self.assertEqual(one.command("SUBSCRIBE Moo")[1], b"OK SUBSCRIBE completed")
        self.assertEqual(two.command('LIST (SUBSCRIBED) "" "Moo"')[0],
                         [b'* LIST (\\HasNoChildren \\Subscribed) "/" "Moo"'])
        self.assertEqual(one.command("DELETE Foo/Bar")[1], b"OK DELETE completed")
        self.assertEqual(two.command('LIST (SUBSCRIBED RECURSIVEMATCH) "" "F%"'), ([], b"OK LIST completed"))


class ListStatus(ListTestBase):
    def test_status_after_each_list_line(self):
        s = self.session()
        s.command("CREATE Work/2026")
        for flags in (b"\\Seen", b""):
            self.assertTrue(self.append(s, "Work/2026", message("work", "Hello.\r\n"), flags).startswith(b"OK"))
        # RFC 5819 §2 example, adapted: a STATUS line right after each LIST line of a selectable folder.
        self.assertEqual(s.command('LIST "" "W*" RETURN (STATUS (MESSAGES UNSEEN))'), ([
            b'* LIST (\\HasChildren) "/" "Work"', b'* STATUS "Work" (MESSAGES 0 UNSEEN 0)',
            b'* LIST (\\HasNoChildren) "/" "Work/2026"', b'* STATUS "Work/2026" (MESSAGES 2 UNSEEN 1)'],
            b"OK LIST completed"))
        # With other options and several patterns; the items come in the order asked.
        self.assertEqual(s.command('LIST (SUBSCRIBED) "" ("INBOX" "Work/%") RETURN (CHILDREN STATUS (UNSEEN MESSAGES))')[0], [
            b'* LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"', b'* STATUS "INBOX" (UNSEEN 0 MESSAGES 0)',
            b'* LIST (\\HasNoChildren \\Subscribed) "/" "Work/2026"', b'* STATUS "Work/2026" (UNSEEN 1 MESSAGES 2)'])
        # Errors: an unknown STATUS item, STATUS without its list (BAD, nothing listed).
        for bad in ('LIST "" "*" RETURN (STATUS (MESSAGES FOO))', 'LIST "" "*" RETURN (STATUS)',
                    'LIST "" "*" RETURN (STATUS ())'):
            lines, done = s.command(bad)
            self.assertEqual(lines, [], bad)
            self.assertTrue(done.startswith(b"BAD"), (bad, done))

    def test_no_status_for_folders_that_cannot_be_read(self):
        self.add_mailbox(BOB)
        alice = self.session()
        for name in ("Team", "Listed"):
            alice.command(f"CREATE {name}")
        self.assertTrue(self.append(alice, "Team", message("team", "Hi.\r\n")).startswith(b"OK"))
        alice.command(f"SETACL Team {BOB} lr")
        alice.command(f"SETACL Listed {BOB} l")
        bob = self.session(BOB)
        # RFC 5819 §2: no STATUS for the \\Noselect level nor for a folder bob may not read.
        self.assertEqual(bob.command('LIST "" "Other Users/*" RETURN (STATUS (MESSAGES))')[0], [
            b'* LIST (\\Noselect \\HasChildren) "/" "Other Users/alice@example.org"',
            b'* LIST (\\HasNoChildren) "/" "Other Users/alice@example.org/Listed"',
            b'* LIST (\\HasNoChildren) "/" "Other Users/alice@example.org/Team"',
            b'* STATUS "Other Users/alice@example.org/Team" (MESSAGES 1)'])
        # Two sessions: alice's next message shows in bob's next LIST-STATUS.
        self.assertTrue(self.append(alice, "Team", message("more", "Hi.\r\n")).startswith(b"OK"))
        self.assertEqual(bob.command('LIST "" "Other Users/%/Team" RETURN (STATUS (MESSAGES))')[0][1],
                         b'* STATUS "Other Users/alice@example.org/Team" (MESSAGES 2)')


class CreateSpecialUse(ListTestBase):
    def test_create_with_use(self):
        s = self.session()
        # RFC 6154 §5.4 example, adapted: the folder is made with the attribute.
        self.assertEqual(s.command("CREATE Important (USE (\\Flagged))"), ([], b"OK CREATE completed"))
        self.assertEqual(s.command('LIST "" Important')[0], [b'* LIST (\\HasNoChildren \\Flagged) "/" "Important"'])
        self.assertEqual(s.command("create Later (use (\\all))")[1], b"OK CREATE completed")
        self.assertEqual(s.command('LIST (SPECIAL-USE) "" "L*"')[0], [b'* LIST (\\HasNoChildren \\All) "/" "Later"'])
        # §3: USEATTR for an attribute the server does not know, one already used, or two at once.
        for command, answer in (
                ("CREATE MyDrafts (USE (\\Drafts))", b"NO [USEATTR] folder Drafts already has the attribute \\Drafts"),
                ("CREATE Odd (USE (\\Bogus))", b"NO [USEATTR] \\Bogus is not a special-use attribute"),
                ("CREATE Two (USE (\\Sent \\Archive))", b"NO [USEATTR] A folder has one special use here"),
                ("CREATE Twice (USE (\\Flagged))", b"NO [USEATTR] folder Important already has the attribute \\Flagged")):
            self.assertEqual(s.command(command), ([], answer), command)
        # Syntax errors are BAD: an unknown create-param, a USE without a list, an attribute without "\\".
        for command in ("CREATE Odd (FOO)", "CREATE Odd (USE)", "CREATE Odd (USE (Drafts))", "CREATE Odd (USE ())",
                        "CREATE Odd ()"):
            self.assertTrue(s.command(command)[1].startswith(b"BAD Syntax error"), command)
        # Nothing was made by the refused commands.
        self.assertEqual(s.command('LIST "" "*" RETURN (SPECIAL-USE)')[0], [
            b'* LIST (\\HasNoChildren \\Archive) "/" "Archive"', b'* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
            b'* LIST (\\HasNoChildren) "/" "INBOX"', b'* LIST (\\HasNoChildren \\Flagged) "/" "Important"',
            b'* LIST (\\HasNoChildren \\All) "/" "Later"', b'* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
            b'* LIST (\\HasNoChildren \\Junk) "/" "Spam"', b'* LIST (\\HasNoChildren \\Trash) "/" "Trash"'])
        # Once the holder is gone, the use is free again; another session sees the new folder at once.
        self.assertEqual(s.command("DELETE Important")[1], b"OK DELETE completed")
        self.assertEqual(s.command("CREATE Starred (USE (\\Flagged))")[1], b"OK CREATE completed")
        other = self.session()
        self.assertEqual(other.command('LIST (SPECIAL-USE) "" "St*"')[0],
                         [b'* LIST (\\HasNoChildren \\Flagged) "/" "Starred"'])


class StatusItems(ListTestBase):
    def test_size_and_deleted(self):
        s = self.session()
        small, large = message("small", "x\r\n"), message("large", "y" * 3000 + "\r\n")
        for raw in (small, large, large):
            self.assertTrue(self.append(s, "Archive", raw).startswith(b"OK"))
        total = len(small) + 2 * len(large)
        self.assertEqual(s.command("STATUS Archive (MESSAGES SIZE DELETED DELETED-STORAGE)"), (
            [b'* STATUS "Archive" (MESSAGES 3 SIZE %d DELETED 0 DELETED-STORAGE 0)' % total],
            b"OK STATUS completed"))
        s.command("SELECT Archive")
        s.command("STORE 2:3 +FLAGS.SILENT (\\Deleted)")
        # RFC 9208 §4.3: DELETED-STORAGE in units of 1024 octets, rounded up.
        kib = (2 * len(large) + 1023) // 1024
        # A second session sees the flags the first one set.
        other = self.session()
        self.assertEqual(other.command("STATUS Archive (DELETED DELETED-STORAGE SIZE)")[0],
                         [b'* STATUS "Archive" (DELETED 2 DELETED-STORAGE %d SIZE %d)' % (kib, total)])
        s.command("EXPUNGE")
        self.assertEqual(other.command("status Archive (size deleted messages)")[0],
                         [b'* STATUS "Archive" (SIZE %d DELETED 0 MESSAGES 1)' % len(small)])
        self.assertEqual(other.command("STATUS Trash (SIZE DELETED)")[0], [b'* STATUS "Trash" (SIZE 0 DELETED 0)'])
        self.assertEqual(other.command("STATUS Nowhere (SIZE)"), ([], b"NO [NONEXISTENT] No such folder"))
        for bad in ("STATUS Archive (SIZES)", "STATUS Archive ()", "STATUS Archive SIZE"):
            self.assertTrue(other.command(bad)[1].startswith(b"BAD"), bad)


class AppendLimit(ListTestBase):
    def test_limit_is_advertised_and_enforced(self):
        s = self.session()
        self.assertIn(b"APPENDLIMIT=52428800", s.command("CAPABILITY")[0][0].split())
        self.daemon.ctl("settings", "set", "smtp.max_message_size", "70000", check=0)
        s = self.session()
        caps = s.command("CAPABILITY")[0][0].split()
        self.assertIn(b"APPENDLIMIT=70000", caps)
        self.assertEqual(s.command("STATUS INBOX (APPENDLIMIT)")[0], [b'* STATUS "INBOX" (APPENDLIMIT 70000)'])
        # RFC 7889 §2: a larger message is refused before the literal is sent, with TOOBIG.
        at_limit = message("limit", "z" * 100)
        at_limit += b"z" * (70000 - len(at_limit))
        self.assertEqual(self.append(s, "INBOX", at_limit + b"z"), b"NO [TOOBIG] Literal too large")
        self.assertTrue(self.append(s, "INBOX", at_limit).startswith(b"OK [APPENDUID"))
        self.assertEqual(len(self.mailbox_messages(ALICE)), 1)
        # The greeting carries the same list.
        fresh = Session(self.ports["imaps"])
        self.addCleanup(fresh.sock.close)
        self.assertIn(b"APPENDLIMIT=70000", fresh.greeting)


class Id(ListTestBase):
    def test_id_exchange_and_limits(self):
        s = Session(self.ports["imaps"])
        self.addCleanup(s.sock.close)
        # RFC 2971 §3.1 example, adapted: valid before login; the server names itself.
        lines, done = s.command('ID ("name" "sodr" "version" "19.34" "vendor" "Pink Floyd Music Limited")')
        self.assertEqual(done, b"OK ID completed")
        self.assertEqual(len(lines), 1)
        self.assertRegex(lines[0], rb'^\* ID \("name" "ProMail" "version" "\d+\.\d+[^"]*"\)$')
        self.assertEqual(s.command("ID NIL"), (lines, b"OK ID completed"))
        self.assertEqual(s.command('id ("os" NIL)')[1], b"OK ID completed")
        with open(self.daemon.log_path, "rb") as log:
            self.assertIn(b"sodr", log.read())
        # §3.3 limits and the syntax: each refused with BAD, nothing answered.
        pairs = " ".join(f'"f{n}" "v"' for n in range(31))
        for bad in (f"ID ({pairs})", 'ID ("' + "f" * 31 + '" "v")', 'ID ("f" "' + "v" * 1025 + '")',
                    'ID ("name" "a" "NAME" "b")', 'ID ("name")', "ID ()", "ID", 'ID ("name" "x"'):
            lines, done = s.command(bad)
            self.assertEqual(lines, [], bad[:40])
            self.assertTrue(done.startswith(b"BAD"), (bad[:40], done))
        # At the limits it is accepted, and after login too.
        pairs = " ".join(f'"f{n:02d}' + "x" * 27 + '" "' + "v" * 1024 + '"' for n in range(30))
        self.assertEqual(s.command(f"ID ({pairs})")[1], b"OK ID completed")
        s.login(ALICE)
        self.assertEqual(s.command("ID NIL")[1], b"OK ID completed")


class Quota(ListTestBase):
    def test_getquotaroot_and_overquota(self):
        s = self.session()
        # RFC 9208 §4.1.2 example, adapted: no limits yet, so no resources.
        self.assertEqual(s.command("GETQUOTAROOT INBOX"),
                         ([b'* QUOTAROOT "INBOX" ""', b'* QUOTA "" ()'], b"OK GETQUOTAROOT completed"))
        self.daemon.ctl("mailbox", "set", ALICE, "--quota-mib", "1", check=0)
        big = message("big", ("x" * 78 + "\r\n") * 7000)
        self.assertTrue(self.append(s, "INBOX", big).startswith(b"OK"))
        kib = (len(big) + 1023) // 1024
        self.assertEqual(s.command("GETQUOTAROOT Archive"), (
            [b'* QUOTAROOT "Archive" ""', b'* QUOTA "" (STORAGE %d 1024)' % kib], b"OK GETQUOTAROOT completed"))
        # A second session's APPEND goes over the quota; the first sees the same usage.
        other = self.session()
        self.assertEqual(self.append(other, "Drafts", big), b"NO [OVERQUOTA] The mailbox is over its storage quota")
        self.assertEqual(s.command('GETQUOTA ""'), ([b'* QUOTA "" (STORAGE %d 1024)' % kib], b"OK GETQUOTA completed"))
        s.command("SELECT INBOX")
        self.assertEqual(s.command("COPY 1 Archive"), ([], b"NO [OVERQUOTA] The mailbox is over its storage quota"))
        # Errors: an unknown root, a folder that does not exist, SETQUOTA (the administrator sets quotas).
        self.assertEqual(s.command('GETQUOTA "alice"'), ([], b'NO [NONEXISTENT] No such quota root; yours is ""'))
        self.assertEqual(s.command("GETQUOTAROOT Nowhere"), ([], b"NO [NONEXISTENT] No such folder"))
        self.assertEqual(s.command('SETQUOTA "" (STORAGE 512)'), ([], b"NO [NOPERM] Quotas are set by the administrator"))
        for bad in ('SETQUOTA "" STORAGE 512', 'SETQUOTA "" (STORAGE)', "GETQUOTA", "GETQUOTAROOT"):
            self.assertTrue(s.command(bad)[1].startswith(b"BAD"), bad)
        # A folder shared by another mailbox counts for its owner: no root this user can read.
        self.add_mailbox(BOB)
        s.command(f"SETACL Archive {BOB} lr")
        bob = self.session(BOB)
        self.assertEqual(bob.command('GETQUOTAROOT "Other Users/alice@example.org/Archive"'), (
            [b'* QUOTAROOT "Other Users/alice@example.org/Archive"'], b"OK GETQUOTAROOT completed"))

    def test_message_quota_on_append_copy_and_smtp(self):
        self.assertNotEqual(self.daemon.ctl("mailbox", "set", ALICE, "--quota-messages", "-1").returncode, 0)
        self.daemon.ctl("mailbox", "set", ALICE, "--quota-messages", "2", check=0)
        self.assertIn("quota_messages: 2", self.daemon.ctl("mailbox", "show", ALICE, check=0).stdout)
        self.deliver("one")
        s = self.session()
        self.assertTrue(self.append(s, "INBOX", message("two", "x\r\n")).startswith(b"OK"))
        self.assertEqual(s.command("GETQUOTAROOT INBOX")[0], [b'* QUOTAROOT "INBOX" ""', b'* QUOTA "" (MESSAGE 2 2)'])
        self.assertEqual(self.append(s, "INBOX", message("three", "x\r\n")),
                         b"NO [OVERQUOTA] The mailbox is over its message quota")
        s.command("SELECT INBOX")
        self.assertEqual(s.command("COPY 1 Archive"), ([], b"NO [OVERQUOTA] The mailbox is over its message quota"))
        # A move within the mailbox adds no message.
        self.assertEqual(s.command("MOVE 1 Archive")[1], b"OK MOVE completed")
        # SMTP: RCPT is refused for the full mailbox (RFC 3463 4.2.2), other recipients still work.
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            client.ehlo()
            client.mail("sender@remote.example.net")
            code, text = client.rcpt(ALICE)
            self.assertEqual((code, text), (452, b"4.2.2 <alice@example.org>: Mailbox full"))
        self.assertEqual(len(self.mailbox_messages(ALICE)), 1)
        # Expunging makes room again.
        s.command("STORE 1 +FLAGS.SILENT (\\Deleted)")
        s.command("EXPUNGE")
        self.assertEqual(s.command('GETQUOTA ""')[0], [b'* QUOTA "" (MESSAGE 1 2)'])
        self.deliver("four")
        self.assertEqual(len(self.mailbox_messages(ALICE)), 1)


if __name__ == "__main__":
    unittest.main()
