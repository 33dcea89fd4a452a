"""Nothing acknowledged is ever lost: kill -9 in the middle of parallel deliveries, and a full
disk (ARCHITECTURE.md "Durability"; issue 3 "Durability (tested, not promised)")."""
import os
import smtplib
import subprocess
import threading
import time
import unittest

from promail_harness import MailDaemonTestCase

PASSWORD = "correct horse battery"
USERS = [f"user{i}@example.org" for i in range(5)]
END = b"END-OF-MESSAGE-MARKER"


def build_message(token, recipient):
    body = (b"x" * 76 + b"\r\n") * 40  # ~3 KiB, a realistic small message
    return (f"From: sender@remote.example.net\r\nTo: {recipient}\r\nSubject: {token}\r\n"
            f"Message-ID: <{token}@test.example>\r\n\r\n").encode() + body + END + b"\r\n"


class Durability(MailDaemonTestCase):
    def setUp(self):
        super().setUp()
        self.mounts = []

    def tearDown(self):
        for daemon in self.daemons:
            daemon.kill()
        for mount in self.mounts:
            subprocess.run(["umount", "-l", mount], capture_output=True)
        super().tearDown()

    def prepare_directory(self):
        self.daemon.ctl("domain", "add", "example.org", check=0)
        for user in USERS:
            self.daemon.ctl("mailbox", "add", user, "--password-stdin", stdin=PASSWORD + "\n", check=0)

    def test_kill_9_loses_nothing_acknowledged(self):
        self.start_mail_daemon()
        self.prepare_directory()
        acknowledged = []
        lock = threading.Lock()
        stop = threading.Event()

        def sender(worker):
            for n in range(80):
                if stop.is_set():
                    return
                token = f"w{worker}n{n}"
                recipient = USERS[(worker + n) % len(USERS)]
                try:
                    with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
                        client.sendmail("sender@remote.example.net", [recipient], build_message(token, recipient))
                    with lock:
                        acknowledged.append((token, recipient))
                except (OSError, smtplib.SMTPException):
                    return  # the server went away: nothing more to send

        threads = [threading.Thread(target=sender, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        deadline = time.time() + 60
        while time.time() < deadline:
            with lock:
                if len(acknowledged) >= 200:
                    break
            time.sleep(0.01)
        self.daemon.process.kill()  # SIGKILL in the middle of traffic
        self.daemon.process.wait()
        stop.set()
        for thread in threads:
            thread.join(30)
        self.assertGreaterEqual(len(acknowledged), 200, "the test needs enough traffic before the kill")

        self.daemon.start()  # recovery runs at start-up
        stored = {}
        for user in USERS:
            for content in self.mailbox_messages(user):
                # No partial message is visible: every stored copy is complete.
                self.assertTrue(content.rstrip().endswith(END), content[-100:])
                subject = content.split(b"\r\nSubject: ", 1)[1].split(b"\r\n", 1)[0].decode()
                stored.setdefault((subject, user), 0)
                stored[(subject, user)] += 1
        for key in acknowledged:
            self.assertEqual(stored.get(key), 1, f"{key} was acknowledged with 250 and must be stored exactly once")
        self.assertTrue(all(count == 1 for count in stored.values()), "no message is stored twice")
        self.assertEqual(os.listdir(os.path.join(self.daemon.data_dir, "incoming")), [])

    @unittest.skipUnless(os.geteuid() == 0, "mounting a small tmpfs needs root")
    def test_full_disk_gives_452_and_the_server_keeps_running(self):
        self.ports = {}
        data = os.path.join(self.workdir, "d", "data")
        os.makedirs(data)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1500k,mode=0755", "tmpfs", data],
                                 capture_output=True)
        if mounted.returncode != 0:
            self.skipTest(f"cannot mount tmpfs: {mounted.stderr}")
        self.mounts.append(data)
        self.start_mail_daemon()
        self.prepare_directory()
        big = build_message("big", USERS[0]).replace(b"x" * 76, b"y" * 76) * 60  # ~190 KiB
        codes = []
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=20) as client:
            for _ in range(20):
                try:
                    client.sendmail("sender@remote.example.net", [USERS[0]], big)
                    codes.append(250)
                except smtplib.SMTPDataError as error:
                    codes.append((error.smtp_code, error.smtp_error))
                    break
                except smtplib.SMTPRecipientsRefused as error:
                    codes.append(list(error.recipients.values())[0])
                    break
            self.assertIn(250, codes)
            self.assertIn(codes[-1][0], (452, 451))
            self.assertEqual(codes[-1], (452, b"4.3.1 Insufficient system storage"))
            self.assertEqual(client.noop()[0], 250, "the session survives a full disk")
        self.assertIsNone(self.daemon.process.poll(), "the server keeps running")
        stored = self.mailbox_messages(USERS[0])
        self.assertEqual(len(stored), codes.count(250))
        for content in stored:
            self.assertTrue(content.rstrip().endswith(END))


if __name__ == "__main__":
    unittest.main()
