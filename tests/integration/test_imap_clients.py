"""Real mail clients against the real promaild (issue 4): curl over imaps://, imap:// with
--ssl-reqd (STARTTLS) and pop3s://, mbsync (isync) syncing a mailbox both ways, and the issue's
"done when": a message sent through submission is read, flagged, moved to Spam and expunged over
IMAP and retrieved over POP3."""
import glob
import imaplib
import os
import poplib
import shutil
import smtplib
import ssl
import subprocess
import time
import unittest

from promail_harness import MailDaemonTestCase

PASSWORD = "correct horse battery"
ALICE = "alice@example.org"
BOB = "bob@example.org"
CURL = shutil.which("curl")
MBSYNC = shutil.which("mbsync")


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def message(subject, body, to=ALICE, sender="sender@remote.example.net"):
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{time.time_ns()}@test.example>\r\n\r\n{body}").encode()


class ClientTestBase(MailDaemonTestCase):
    SERVICES = ("smtp", "submission", "imap", "imaps", "pop3", "pop3s")

    def setUp(self):
        super().setUp()
        self.start_mail_daemon()
        d = self.daemon
        d.ctl("domain", "add", "example.org", check=0)
        d.ctl("mailbox", "add", ALICE, "--password-stdin", "--pop3", "true", stdin=PASSWORD + "\n", check=0)
        d.ctl("mailbox", "add", BOB, "--password-stdin", stdin=PASSWORD + "\n", check=0)

    def deliver(self, subject, body="Hello.\r\n"):
        data = message(subject, body)
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            self.assertEqual(client.sendmail("sender@remote.example.net", [ALICE], data), {})
        return data

    def imaps(self):
        client = imaplib.IMAP4_SSL("127.0.0.1", self.ports["imaps"], ssl_context=tls_context(), timeout=10)
        self.assertEqual(client.login(ALICE, PASSWORD)[0], "OK")
        return client

    def certificate(self):
        for path in glob.glob(os.path.join(self.daemon.data_dir, "keys", "*")):
            with open(path, "rb") as f:
                if b"BEGIN CERTIFICATE" in f.read():
                    return path
        self.fail("no certificate in the data dir")


@unittest.skipUnless(CURL, "curl is not installed")
class Curl(ClientTestBase):
    def curl(self, url, *args, user=ALICE, password=PASSWORD):
        return subprocess.run([CURL, "-sS", "-k", "--max-time", "20", "--user", f"{user}:{password}", *args, url],
                              capture_output=True, timeout=30)

    def test_imaps_lists_folders_and_fetches_by_uid(self):
        sent = self.deliver("Over curl", "Fetched by curl.\r\n")
        base = f"imaps://127.0.0.1:{self.ports['imaps']}"
        listed = self.curl(base + "/")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn(b'* LIST (\\HasNoChildren \\Junk) "/" "Spam"', listed.stdout)
        fetched = self.curl(base + "/INBOX;UID=1")
        self.assertEqual(fetched.returncode, 0, fetched.stderr)
        self.assertTrue(fetched.stdout.endswith(sent), fetched.stdout)
        self.assertIn(b"Subject: Over curl\r\n", fetched.stdout)
        # A UID that does not exist, and a wrong password: curl reports the failure.
        self.assertNotEqual(self.curl(base + "/INBOX;UID=99").returncode, 0)
        refused = self.curl(base + "/INBOX;UID=1", password="wrong")
        self.assertEqual(refused.returncode, 67, refused.stderr)  # CURLE_LOGIN_DENIED

    def test_imap_with_ssl_reqd_uses_starttls(self):
        sent = self.deliver("Over STARTTLS", "Fetched after STARTTLS.\r\n")
        url = f"imap://127.0.0.1:{self.ports['imap']}/INBOX;UID=1"
        fetched = self.curl(url, "--ssl-reqd")
        self.assertEqual(fetched.returncode, 0, fetched.stderr)
        self.assertTrue(fetched.stdout.endswith(sent), fetched.stdout)
        # A custom command on the selected folder (curl's -X), answered with its untagged data.
        flags = self.curl(f"imap://127.0.0.1:{self.ports['imap']}/INBOX", "--ssl-reqd", "-X", "FETCH 1 FLAGS")
        self.assertEqual(flags.returncode, 0, flags.stderr)
        self.assertEqual(flags.stdout, b"* 1 FETCH (FLAGS (\\Seen))\r\n")
        # Without TLS the server refuses the password (LOGINDISABLED): curl cannot log in.
        plain = self.curl(url)
        self.assertNotEqual(plain.returncode, 0)

    def test_pop3s_lists_and_retrieves(self):
        first = self.deliver("First for POP3", "One.\r\n")
        second = self.deliver("Second for POP3", "Two.\r\n")
        base = f"pop3s://127.0.0.1:{self.ports['pop3s']}"
        listed = self.curl(base + "/")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        lines = listed.stdout.split(b"\r\n")
        self.assertEqual([line.split(b" ")[0] for line in lines if line], [b"1", b"2"])
        retrieved = self.curl(base + "/2")
        self.assertEqual(retrieved.returncode, 0, retrieved.stderr)
        self.assertTrue(retrieved.stdout.endswith(second), retrieved.stdout)
        self.assertNotIn(first, retrieved.stdout)
        self.assertNotEqual(self.curl(base + "/3").returncode, 0)
        self.assertEqual(self.curl(base + "/1", password="wrong").returncode, 67)


@unittest.skipUnless(MBSYNC, "mbsync (isync) is not installed")
class Mbsync(ClientTestBase):
    def setUp(self):
        super().setUp()
        self.near = os.path.join(self.workdir, "near")
        os.makedirs(self.near)
        password_file = os.path.join(self.workdir, "password")
        with open(password_file, "w") as f:
            f.write(PASSWORD)
        self.config = os.path.join(self.workdir, "mbsyncrc")
        with open(self.config, "w") as f:
            f.write(f"""IMAPAccount far
Host 127.0.0.1
Port {self.ports['imaps']}
User {ALICE}
PassCmd "cat {password_file}"
SSLType IMAPS
CertificateFile {self.certificate()}

IMAPStore far
Account far

MaildirStore near
Path {self.near}/
Inbox {self.near}/INBOX
SubFolders Verbatim

Channel mail
Far :far:
Near :near:
Patterns INBOX Archive
Create Both
Expunge Both
SyncState *
Sync All
""")

    def sync(self):
        result = subprocess.run([MBSYNC, "-c", self.config, "mail"], capture_output=True, text=True, timeout=60,
                                env={**os.environ, "HOME": self.workdir})
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def near_files(self, folder="INBOX"):
        files = {}
        for sub in ("new", "cur"):
            for path in glob.glob(os.path.join(self.near, folder, sub, "*")):
                with open(path, "rb") as f:
                    files[path] = f.read()
        return files

    @staticmethod
    def near_flags(path):
        name = os.path.basename(path)
        return name.split(":2,", 1)[1] if ":2," in name else ""

    def far_messages(self, client, folder="INBOX"):
        """{subject: flags} of a folder on the server."""
        client.select(folder)
        typ, data = client.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        if data == [None]:
            return {}
        result = {}
        for item in data:
            if isinstance(item, tuple):
                flags = imaplib.ParseFlags(item[0])
                subject = item[1].decode().strip().removeprefix("Subject: ")
                result[subject] = sorted(f.decode() for f in flags)
        return result

    def set_near_flags(self, path, flags):
        base = os.path.basename(path).split(":2,", 1)[0]
        target = os.path.join(self.near, "INBOX", "cur", base + ":2," + flags)
        os.rename(path, target)
        return target

    def test_sync_far_to_near_and_near_to_far_with_flags(self):
        self.deliver("Far one", "First.\r\n")
        self.deliver("Far two", "Second.\r\n")
        client = self.imaps()
        client.select("INBOX")
        self.assertEqual(client.store("2", "+FLAGS", "(\\Flagged \\Seen)")[0], "OK")

        # Far to near: both messages, with the flags set on the server.
        self.sync()
        near = self.near_files()
        self.assertEqual(len(near), 2)
        # mbsync stores near copies with LF line ends.
        by_subject = {next(line.rstrip(b"\r") for line in body.split(b"\n") if line.startswith(b"Subject: ")): path
                      for path, body in near.items()}
        self.assertEqual(self.near_flags(by_subject[b"Subject: Far one"]), "")
        self.assertEqual(self.near_flags(by_subject[b"Subject: Far two"]), "FS")
        self.assertTrue(os.path.isdir(os.path.join(self.near, "Archive")))

        # Near to far: a new message (with flags), a flag change and a deletion.
        written = os.path.join(self.near, "INBOX", "cur", f"{time.time_ns()}.near.host:2,S")
        with open(written, "wb") as f:
            f.write(message("Near three", "Written near.\r\n"))
        self.set_near_flags(by_subject[b"Subject: Far one"], "RS")
        self.set_near_flags(by_subject[b"Subject: Far two"], "FST")
        self.sync()
        self.assertEqual(self.far_messages(client), {
            "Far one": ["\\Answered", "\\Seen"],
            "Near three": ["\\Seen"],
        })
        client.logout()

        # A change on the server after that comes back: the near copy loses its \Seen flag.
        client = self.imaps()
        self.assertEqual(list(self.far_messages(client)), ["Far one", "Near three"])
        client.store("2", "-FLAGS", "(\\Seen)")
        client.store("1", "+FLAGS", "(\\Deleted)")
        client.expunge()
        client.logout()
        self.sync()
        near = self.near_files()
        self.assertEqual(len(near), 1)
        [(path, body)] = near.items()
        self.assertIn(b"Subject: Near three", body)
        self.assertEqual(self.near_flags(path), "")

    def test_sync_refused_with_a_wrong_password(self):
        with open(os.path.join(self.workdir, "password"), "w") as f:
            f.write("wrong password")
        result = subprocess.run([MBSYNC, "-c", self.config, "mail"], capture_output=True, text=True, timeout=60,
                                env={**os.environ, "HOME": self.workdir})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("AUTHENTICATIONFAILED", result.stdout + result.stderr)
        self.assertEqual(self.near_files(), {})


class DoneWhen(ClientTestBase):
    """Issue 4: submission → IMAP read, flag, move to Spam, expunge; POP3 retrieval."""

    def test_submitted_message_over_imap_and_pop3(self):
        sent = message("Through submission", "Sent by Bob.\r\n", sender=BOB)
        with smtplib.SMTP("127.0.0.1", self.ports["submission"], timeout=10) as smtp:
            smtp.starttls(context=tls_context())
            smtp.login(BOB, PASSWORD)
            self.assertEqual(smtp.sendmail(BOB, [ALICE], sent), {})

        deadline = time.time() + 10
        client = self.imaps()
        while True:
            typ, data = client.select("INBOX")
            if data != [b"0"] or time.time() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual((typ, data), ("OK", [b"1"]))

        # POP3 (enabled for alice) sees the same bytes IMAP does.
        pop = poplib.POP3_SSL("127.0.0.1", self.ports["pop3s"], context=tls_context(), timeout=10)
        pop.user(ALICE)
        pop.pass_(PASSWORD)
        self.assertEqual(pop.stat()[0], 1)
        retrieved = b"\r\n".join(pop.retr(1)[1]) + b"\r\n"
        pop.quit()
        typ, data = client.fetch("1", "(BODY[] FLAGS)")
        self.assertEqual(typ, "OK")
        self.assertEqual(data[0][1], retrieved)
        self.assertTrue(retrieved.endswith(sent), retrieved)
        self.assertIn(b"Sent by Bob.", retrieved)

        # Read (BODY[] set \Seen), flagged, moved to Spam, expunged there.
        self.assertEqual(client.store("1", "+FLAGS", "(\\Flagged)"),
                         ("OK", [b"1 (FLAGS (\\Seen \\Flagged))"]))
        typ, data = client._simple_command("MOVE", "1", "Spam")
        self.assertEqual(typ, "OK")
        self.assertEqual(client.select("INBOX"), ("OK", [b"0"]))
        self.assertEqual(client.select("Spam"), ("OK", [b"1"]))
        typ, data = client.fetch("1", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        self.assertEqual(imaplib.ParseFlags(data[0][0]), (b"\\Seen", b"\\Flagged"))
        self.assertEqual(data[0][1], b"Subject: Through submission\r\n\r\n")
        client.store("1", "+FLAGS", "(\\Deleted)")
        self.assertEqual(client.expunge(), ("OK", [b"1"]))
        self.assertEqual(client.select("Spam"), ("OK", [b"0"]))
        client.logout()

        # The message left INBOX, so POP3 no longer lists it.
        pop = poplib.POP3_SSL("127.0.0.1", self.ports["pop3s"], context=tls_context(), timeout=10)
        pop.user(ALICE)
        pop.pass_(PASSWORD)
        self.assertEqual(pop.stat(), (0, 0))
        pop.quit()

    def test_pop3_refused_when_not_enabled_for_the_mailbox(self):
        pop = poplib.POP3_SSL("127.0.0.1", self.ports["pop3s"], context=tls_context(), timeout=10)
        pop.user(BOB)
        with self.assertRaises(poplib.error_proto):
            pop.pass_(PASSWORD)
        pop.close()


if __name__ == "__main__":
    unittest.main()
