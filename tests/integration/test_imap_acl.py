"""Mailbox sharing over IMAP through the real promaild: NAMESPACE (RFC 2342), the ACL commands of
RFC 4314 with its examples adapted, and the granted rights enforced on every command for a folder
that alice shares with bob, seen as "Other Users/alice@example.org/<folder>"."""
import imaplib
import socket
import sqlite3
import time
import unittest

from test_imap import ALICE, PASSWORD, ImapTestBase, message, tls_context

BOB = "bob@example.org"
CAROL = "carol@example.org"
TEAM = '"Other Users/alice@example.org/Team"'
imaplib.Commands.setdefault("LISTRIGHTS", ("AUTH", "SELECTED"))


class AclTestBase(ImapTestBase):
    def setUp(self):
        super().setUp()
        for address in (BOB, CAROL):
            self.daemon.ctl("mailbox", "add", address, "--password-stdin", stdin=PASSWORD + "\n", check=0)

    def login_as(self, address):
        client = self.imaps()
        self.assertEqual(client.login(address, PASSWORD)[0], "OK")
        return client

    def command(self, client, name, *args):
        return client._simple_command(name, *args)

    def select(self, client, name):
        """SELECT without imaplib's own handling, which raises on [READ-ONLY]; returns the tagged text."""
        typ, data = self.command(client, "SELECT", name)
        if typ == "OK":
            client.state = "SELECTED"
            client.is_readonly = data[0].startswith(b"[READ-ONLY]")
        return typ, data

    def alice_with_team(self, rights, messages=2):
        """alice's folder Team with `messages` messages, shared with bob; returns alice's session."""
        alice = self.login()
        self.assertEqual(alice.create("Team")[0], "OK")
        for n in range(messages):
            self.assertEqual(alice.append("Team", None, None, message(f"team {n + 1}", "Hello.\r\n"))[0], "OK")
        self.assertEqual(alice.setacl("Team", BOB, rights), ("OK", [b"SETACL completed"]))
        return alice

    def flags(self, client, folder):
        client.select(folder)
        typ, data = client.fetch("1:*", "(FLAGS)")
        self.assertEqual(typ, "OK")
        return data

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

    def idler(self, address, folder):
        """A raw session of `address` idling in `folder`."""
        sock = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", self.ports["imaps"]), timeout=10))
        self.read_until(sock, b"\r\n", 10)
        sock.sendall(f'a1 LOGIN {address} "{PASSWORD}"\r\n'.encode())
        self.assertIn(b"a1 OK", self.read_until(sock, b"a1 OK", 10))
        sock.sendall(f"a2 SELECT {folder}\r\n".encode())
        self.assertIn(b"a2 OK", self.read_until(sock, b"a2 OK", 10))
        sock.sendall(b"a3 IDLE\r\n")
        self.assertEqual(self.read_until(sock, b"\r\n", 10), b"+ idling\r\n")
        return sock

    def usage(self, address):
        local = address.split("@")[0]
        db = sqlite3.connect(f"file:{self.daemon.data_dir}/promail.db?mode=ro", uri=True)
        try:
            return db.execute("SELECT u.messages FROM mailbox_usage u JOIN mailboxes b ON b.id = u.mailbox_id "
                              "WHERE b.local_part = ?", (local,)).fetchone()[0]
        finally:
            db.close()


class Namespaces(AclTestBase):
    def test_namespace_and_other_users(self):
        alice = self.alice_with_team("lr")
        alice.create("Private")
        self.assertEqual(alice.namespace(), ("OK", [b'(("" "/")) (("Other Users/" "/")) NIL']))
        bob = self.login_as(BOB)
        self.assertEqual(bob.namespace(), ("OK", [b'(("" "/")) (("Other Users/" "/")) NIL']))
        self.assertEqual(bob.list('""', '"Other Users/%"'),
                         ("OK", [b'(\\Noselect \\HasChildren) "/" "Other Users/alice@example.org"']))
        self.assertEqual(bob.list('""', '"Other Users/*"'), ("OK", [
            b'(\\Noselect \\HasChildren) "/" "Other Users/alice@example.org"',
            b'(\\HasNoChildren) "/" "Other Users/alice@example.org/Team"']))
        self.assertEqual(bob.list('""', "%")[1][-1], b'(\\Noselect \\HasChildren) "/" "Other Users"')
        self.assertEqual(bob.lsub('""', '"Other Users/*"')[1], [b'(\\HasNoChildren) "/" "Other Users/alice@example.org/Team"'])
        # Shared folders stay subscribed: the subscription is the owner's.
        self.assertEqual(bob.subscribe(TEAM), ("OK", [b"SUBSCRIBE completed"]))
        self.assertEqual(bob.unsubscribe(TEAM), ("NO", [b"[CANNOT] Shared folders are always subscribed"]))
        # A folder not granted is invisible: the same answer as for one that does not exist.
        for name in ('"Other Users/alice@example.org/Private"', '"Other Users/alice@example.org/Nowhere"',
                     '"Other Users/nobody@example.org/INBOX"', '"Other Users/alice@example.org"', '"Other Users"'):
            self.assertEqual(self.select(bob, name), ("NO", [b"[NONEXISTENT] No such folder"]), name)
            self.assertEqual(bob.status(name, "(MESSAGES)"), ("NO", [b"[NONEXISTENT] No such folder"]), name)
            self.assertEqual(bob.myrights(name), ("NO", [b"[NONEXISTENT] No such folder"]), name)
        self.assertEqual(bob.status(TEAM, "(MESSAGES UNSEEN)"),
                         ("OK", [b'"Other Users/alice@example.org/Team" (MESSAGES 2 UNSEEN 2)']))
        # carol got nothing: no "Other Users" at all.
        carol = self.login_as(CAROL)
        self.assertEqual(carol.list('""', '"Other Users*"'), ("OK", [None]))
        self.assertEqual(self.select(carol, TEAM), ("NO", [b"[NONEXISTENT] No such folder"]))
        # The namespace holds no folders of one's own.
        self.assertEqual(bob.create('"Other Users"'),
                         ("NO", [b'[CANNOT] The "Other Users" namespace holds only folders of other mailboxes']))
        self.assertEqual(bob.create('"Other Users/alice@example.org/New"'),
                         ("NO", [b"[NOPERM] Only the owner creates top-level folders"]))
        for client in (alice, bob, carol):
            client.logout()


class AclCommands(AclTestBase):
    def test_rfc4314_examples(self):
        alice = self.login()
        alice.create("Work")
        # RFC 4314 §3.1: an unrecognized right is BAD and changes nothing.
        with self.assertRaises(imaplib.IMAP4.error):
            alice.setacl("Work", BOB, "lrQswicdakxet")
        self.assertEqual(alice.getacl("Work"), ("OK", [b'"Work" "alice@example.org" lrswipkxteacd']))
        # "c" and "d" stand for k x and e t (§2.1.1) and are shown with them.
        self.assertEqual(alice.setacl("Work", BOB, "lrswicdakxet"), ("OK", [b"SETACL completed"]))
        self.assertEqual(alice.getacl("Work"), ("OK", [
            b'"Work" "alice@example.org" lrswipkxteacd "bob@example.org" lrswikxteacd']))
        self.assertEqual(alice.setacl("Work", BOB, "-cd"), ("OK", [b"SETACL completed"]))
        self.assertEqual(alice.getacl("Work")[1], [b'"Work" "alice@example.org" lrswipkxteacd "bob@example.org" lrswia'])
        self.assertEqual(alice.setacl("Work", BOB, "+t"), ("OK", [b"SETACL completed"]))
        self.assertEqual(alice.setacl("Work", CAROL, "lr"), ("OK", [b"SETACL completed"]))
        self.assertEqual(alice.getacl("Work")[1], [
            b'"Work" "alice@example.org" lrswipkxteacd "bob@example.org" lrswitad "carol@example.org" lr'])
        # §3.2: DELETEACL; §3.4 LISTRIGHTS; §3.5 MYRIGHTS.
        self.assertEqual(alice.deleteacl("Work", CAROL), ("OK", [b"DELETEACL completed"]))
        self.assertEqual(alice.getacl("Work")[1], [b'"Work" "alice@example.org" lrswipkxteacd "bob@example.org" lrswitad'])
        self.assertEqual(self.command(alice, "LISTRIGHTS", "Work", BOB)[0], "OK")
        self.assertEqual(alice.response("LISTRIGHTS"),
                         ("LISTRIGHTS", [b'"Work" "bob@example.org" "" l r s w i p k x t e a c d']))
        self.command(alice, "LISTRIGHTS", "Work", ALICE)
        self.assertEqual(alice.response("LISTRIGHTS"), ("LISTRIGHTS", [b'"Work" "alice@example.org" lrswipkxtea']))
        self.assertEqual(alice.myrights("Work"), ("OK", [b'"Work" lrswipkxteacd']))
        # Identifiers are mailboxes of this server; the owner's rights never change.
        for who, rights in (("anyone", "lr"), ("-" + BOB, "w"), ("nobody@example.org", "lr"), (ALICE, "lr")):
            typ, _ = self.command(alice, "SETACL", "Work", who, rights)
            self.assertEqual(typ, "NO", who)
        self.assertEqual(alice.setacl("Work", "anyone", "lr"),
                         ("NO", [b"[CANNOT] Rights are granted to mailbox addresses of this server only"]))
        self.assertEqual(alice.setacl("Work", ALICE, '""'), ("NO", [b"[CANNOT] The owner always has every right"]))
        self.assertEqual(alice.getacl("Nowhere"), ("NO", [b"[NONEXISTENT] No such folder"]))
        # Without "a" bob sees his rights but not the ACL, and cannot change it.
        self.assertEqual(alice.setacl("Work", BOB, "-a"), ("OK", [b"SETACL completed"]))
        bob = self.login_as(BOB)
        work = '"Other Users/alice@example.org/Work"'
        self.assertEqual(bob.myrights(work), ("OK", [b'"Other Users/alice@example.org/Work" lrswitd']))
        denied = ("NO", [b'[NOPERM] You lack the right(s) "a" on this folder'])
        self.assertEqual(bob.getacl(work), denied)
        self.assertEqual(bob.setacl(work, CAROL, "lr"), denied)
        self.assertEqual(bob.deleteacl(work, BOB), denied)
        self.assertEqual(self.command(bob, "LISTRIGHTS", work, BOB), denied)
        alice.setacl("Work", BOB, "+a")
        self.assertEqual(bob.setacl(work, CAROL, "l"), ("OK", [b"SETACL completed"]))
        self.assertEqual(bob.getacl(work)[1], [b'"Other Users/alice@example.org/Work" "alice@example.org" lrswipkxteacd '
                                               b'"bob@example.org" lrswitad "carol@example.org" l'])
        alice.logout()
        bob.logout()

    def test_acl_is_durable_and_follows_the_folder(self):
        alice = self.login()
        alice.create("Work")
        alice.setacl("Work", BOB, "lr")
        alice.setacl("Work", CAROL, "lr")
        alice.logout()
        self.daemon.stop()
        self.daemon.start()
        alice = self.login()
        self.assertEqual(alice.getacl("Work")[1],
                         [b'"Work" "alice@example.org" lrswipkxteacd "bob@example.org" lr "carol@example.org" lr'])
        # RENAME keeps the ACL; a folder made below a shared one starts with its parent's ACL.
        self.assertEqual(alice.rename("Work", "Projects")[0], "OK")
        self.assertEqual(alice.create("Projects/2026")[0], "OK")
        self.assertEqual(alice.getacl("Projects/2026")[1],
                         [b'"Projects/2026" "alice@example.org" lrswipkxteacd "bob@example.org" lr "carol@example.org" lr'])
        # Deleting carol's mailbox removes her grants.
        self.daemon.ctl("mailbox", "remove", CAROL, "--delete-mail", check=0)
        self.assertEqual(alice.getacl("Projects")[1], [b'"Projects" "alice@example.org" lrswipkxteacd "bob@example.org" lr'])
        # DELETE drops the ACL: the same name made again is private.
        alice.delete("Projects/2026")
        alice.delete("Projects")
        alice.create("Projects")
        self.assertEqual(alice.getacl("Projects")[1], [b'"Projects" "alice@example.org" lrswipkxteacd'])
        bob = self.login_as(BOB)
        self.assertEqual(bob.list('""', '"Other Users/*"'), ("OK", [None]))
        alice.logout()
        bob.logout()


class Sharing(AclTestBase):
    def test_read_only_grant_is_enforced(self):
        alice = self.alice_with_team("lr")
        bob = self.login_as(BOB)
        self.assertEqual(self.select(bob, TEAM), ("OK", [b"[READ-ONLY] SELECT completed"]))
        self.assertEqual(bob.response("PERMANENTFLAGS"), ("PERMANENTFLAGS", [b"()"]))  # nothing bob may change
        typ, data = bob.fetch("1", "(BODY[])")  # no "s": reading does not set \Seen
        self.assertEqual(typ, "OK")
        self.assertIn(b"Subject: team 1", data[0][1])
        nope = lambda rights: ("NO", [b'[NOPERM] You lack the right(s) "' + rights + b'" on this folder'])
        self.assertEqual(bob.store("1", "+FLAGS", "(\\Deleted)"), nope(b"t"))
        self.assertEqual(bob.store("1", "+FLAGS", "(\\Seen)"), nope(b"s"))
        self.assertEqual(bob.store("1", "+FLAGS", "($Label)"), nope(b"w"))
        self.assertEqual(bob.expunge(), nope(b"e"))
        self.assertEqual(self.command(bob, "UID", "EXPUNGE", "1"), nope(b"e"))
        self.assertEqual(self.command(bob, "MOVE", "1", "INBOX"), nope(b"te"))
        self.assertEqual(bob.append(TEAM, None, None, message("from bob", "Hi.\r\n")), nope(b"i"))
        self.assertEqual(bob.copy("1", TEAM), nope(b"i"))
        self.assertEqual(bob.delete(TEAM), nope(b"x"))
        self.assertEqual(bob.rename(TEAM, '"Other Users/alice@example.org/Renamed"'), nope(b"x"))
        self.assertEqual(bob.create('"Other Users/alice@example.org/Team/Sub"'), nope(b"k"))
        # "r" lets bob copy out of the folder into his own.
        self.assertEqual(bob.copy("1", "INBOX")[0], "OK")
        self.assertEqual(len(self.mailbox_messages(BOB)), 1)
        self.assertEqual(bob.close()[0], "OK")  # no "e": CLOSE expunges nothing
        # Nothing of alice's changed.
        self.assertEqual(self.flags(alice, "Team"), [b"1 (FLAGS ())", b"2 (FLAGS ())"])
        self.assertEqual(alice.list('""', "Team*")[1], [b'(\\HasNoChildren) "/" "Team"'])
        # Granting "i" lets bob APPEND (flags he may not set are left off); it counts for alice's quota.
        before = self.usage(ALICE)
        alice.setacl("Team", BOB, "+i")
        typ, data = bob.append(TEAM, "(\\Seen $Urgent)", None, message("from bob", "Hi.\r\n"))
        self.assertEqual(typ, "OK")
        self.assertRegex(data[0], rb"^\[APPENDUID \d+ 3\] APPEND completed$")
        self.assertEqual(self.usage(ALICE), before + 1)
        # A COPY into the folder likewise keeps only the flags bob may set there.
        bob.select("INBOX")
        bob.store("1", "+FLAGS", "(\\Flagged \\Deleted)")
        self.assertEqual(bob.copy("1", TEAM)[0], "OK")
        self.assertEqual(self.flags(alice, "Team")[2:], [b"3 (FLAGS ())", b"4 (FLAGS ())"])
        # Revoking takes effect at the next SELECT.
        alice.deleteacl("Team", BOB)
        self.assertEqual(self.select(bob, TEAM), ("NO", [b"[NONEXISTENT] No such folder"]))
        self.assertEqual(bob.list('""', '"Other Users/*"'), ("OK", [None]))
        alice.logout()
        bob.logout()

    def test_two_sessions_see_each_others_flags(self):
        alice = self.alice_with_team("lrsw")
        alice.select("Team")
        bob = self.login_as(BOB)
        self.assertEqual(self.select(bob, TEAM), ("OK", [b"[READ-WRITE] SELECT completed"]))
        self.assertEqual(bob.response("PERMANENTFLAGS"),
                         ("PERMANENTFLAGS", [b"(\\Answered \\Flagged \\Seen \\Draft \\*)"]))
        self.assertEqual(bob.store("1", "+FLAGS", "(\\Flagged)"), ("OK", [b"1 (FLAGS (\\Flagged))"]))
        alice.noop()
        self.assertEqual(alice.response("FETCH"), ("FETCH", [b"1 (FLAGS (\\Flagged))"]))
        self.assertEqual(alice.store("2", "+FLAGS", "(\\Answered)")[0], "OK")
        bob.noop()
        self.assertEqual(bob.response("FETCH"), ("FETCH", [b"2 (FLAGS (\\Answered))"]))
        # With "s", BODY[] sets \Seen for alice too; \Deleted needs "t".
        typ, data = bob.fetch("2", "(BODY[])")
        self.assertEqual(data[0][0], b"2 (BODY[] {%d}" % len(data[0][1]))
        self.assertEqual(data[1], b" FLAGS (\\Answered \\Seen))")
        alice.noop()
        self.assertEqual(alice.response("FETCH"), ("FETCH", [b"2 (FLAGS (\\Answered \\Seen))"]))
        self.assertEqual(bob.store("1", "FLAGS", "(\\Deleted)"),
                         ("NO", [b'[NOPERM] You lack the right(s) "t" on this folder']))
        self.assertEqual(self.flags(alice, "Team"), [b"1 (FLAGS (\\Flagged))", b"2 (FLAGS (\\Answered \\Seen))"])
        alice.logout()
        bob.logout()

    def test_lookup_without_read(self):
        alice = self.alice_with_team("l")
        bob = self.login_as(BOB)
        self.assertEqual(bob.list('""', TEAM), ("OK", [b'(\\HasNoChildren) "/" "Other Users/alice@example.org/Team"']))
        nope = ("NO", [b'[NOPERM] You lack the right(s) "r" on this folder'])
        self.assertEqual(self.select(bob, TEAM), nope)
        self.assertEqual(self.command(bob, "EXAMINE", TEAM), nope)
        self.assertEqual(bob.status(TEAM, "(MESSAGES)"), nope)
        self.assertEqual(bob.myrights(TEAM), ("OK", [b'"Other Users/alice@example.org/Team" l']))
        # "r" without "l": the folder can be read but is not listed, and other refusals do not reveal it.
        alice.setacl("Team", BOB, "r")
        self.assertEqual(bob.list('""', '"Other Users/*"'), ("OK", [None]))
        self.assertEqual(bob.status(TEAM, "(MESSAGES)")[0], "OK")
        self.assertEqual(bob.delete(TEAM), ("NO", [b"[NONEXISTENT] folder Other Users/alice@example.org/Team does not exist"]))
        alice.logout()
        bob.logout()

    def test_idle_on_a_shared_folder(self):
        alice = self.alice_with_team("lrswi")
        bob_idling = self.idler(BOB, TEAM)
        # The owner's new message and flag change reach the grantee's IDLE within a second.
        alice.append("Team", None, None, message("team 3", "Hello.\r\n"))
        started = time.monotonic()
        self.assertEqual(self.read_until(bob_idling, b"EXISTS\r\n", 5), b"* 3 EXISTS\r\n")
        self.assertLess(time.monotonic() - started, 1.0)
        alice.select("Team")
        alice.store("1", "+FLAGS", "(\\Flagged)")
        self.assertEqual(self.read_until(bob_idling, b"\r\n", 5), b"* 1 FETCH (FLAGS (\\Flagged))\r\n")
        bob_idling.sendall(b"DONE\r\n")
        self.assertEqual(self.read_until(bob_idling, b"\r\n", 10), b"a3 OK IDLE terminated\r\n")
        bob_idling.close()
        # And the grantee's changes reach the owner's IDLE.
        alice_idling = self.idler(ALICE, "Team")
        bob = self.login_as(BOB)
        self.select(bob, TEAM)
        bob.store("2", "+FLAGS", "(\\Seen)")
        self.assertEqual(self.read_until(alice_idling, b"\r\n", 5), b"* 2 FETCH (FLAGS (\\Seen))\r\n")
        bob.append(TEAM, None, None, message("from bob", "Hi.\r\n"))
        self.assertEqual(self.read_until(alice_idling, b"EXISTS\r\n", 5), b"* 4 EXISTS\r\n")
        alice_idling.close()
        alice.logout()
        bob.logout()

    def test_delete_rights_and_children(self):
        alice = self.alice_with_team("lrtekx")
        bob = self.login_as(BOB)
        # "k" lets bob make a folder below Team; it belongs to alice and is shared like its parent.
        self.assertEqual(bob.create('"Other Users/alice@example.org/Team/Sub"'), ("OK", [b"CREATE completed"]))
        self.assertEqual(alice.list('""', "Team*")[1],
                         [b'(\\HasChildren) "/" "Team"', b'(\\HasNoChildren) "/" "Team/Sub"'])
        self.assertEqual(alice.getacl("Team/Sub")[1],
                         [b'"Team/Sub" "alice@example.org" lrswipkxteacd "bob@example.org" lrkxtecd'])
        # "t" and "e": bob deletes and expunges; MOVE out needs "i" on the target only besides.
        self.select(bob, TEAM)
        self.assertEqual(bob.store("1", "+FLAGS", "(\\Deleted)"), ("OK", [b"1 (FLAGS (\\Deleted))"]))
        self.assertEqual(bob.expunge(), ("OK", [b"1"]))
        self.assertEqual(self.command(bob, "MOVE", "1", "INBOX")[0], "OK")
        self.assertEqual(len(self.mailbox_messages(ALICE, "Team")), 0)
        self.assertEqual(len(self.mailbox_messages(BOB)), 1)
        self.assertEqual(self.usage(ALICE), 0)
        self.assertEqual(self.usage(BOB), 1)
        bob.close()
        # "x": bob deletes the child he made; a rename into his own mailbox is refused.
        self.assertEqual(bob.rename(TEAM, "Mine"),
                         ("NO", [b"[CANNOT] A folder cannot be renamed into another user's mailbox"]))
        self.assertEqual(bob.delete('"Other Users/alice@example.org/Team/Sub"'), ("OK", [b"DELETE completed"]))
        self.assertEqual(alice.list('""', "Team*")[1], [b'(\\HasNoChildren) "/" "Team"'])
        alice.logout()
        bob.logout()

    def test_shared_folder_uses_the_owners_quota(self):
        alice = self.alice_with_team("lri", messages=0)
        self.daemon.ctl("mailbox", "set", ALICE, "--quota-mib", "1", check=0)
        bob = self.login_as(BOB)
        big = message("big", ("x" * 78 + "\r\n") * 7000)
        self.assertEqual(bob.append(TEAM, None, None, big)[0], "OK")
        self.assertEqual(bob.append(TEAM, None, None, big),
                         ("NO", [b"[OVERQUOTA] The mailbox is over its storage quota"]))
        self.assertEqual(bob.append("INBOX", None, None, big)[0], "OK")  # bob's own quota is unlimited
        self.assertEqual(len(self.mailbox_messages(ALICE, "Team")), 1)
        alice.logout()
        bob.logout()


if __name__ == "__main__":
    unittest.main()
