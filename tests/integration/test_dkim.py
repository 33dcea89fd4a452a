"""DKIM keys and signing through the real promaild (issue 5, RFC 6376, RFC 8463): promailctl dkim
show/generate/import/rotate/retire/delete against the daemon, the key files on disk, and mail
submitted for an external recipient that lands in the queue signed and verifies with dkimpy."""
import base64
import json
import os
import re
import smtplib
import sqlite3
import stat
import subprocess
import tempfile

from promail_harness import MailDaemonTestCase

PASSWORD = "correct horse battery"
KEY_FIELDS = {"selector", "algorithm", "record_name", "record_value", "active"}
SELECTOR = re.compile(r"^promail-[0-9a-f]{8}-\d{6}(-ed25519)?(-\d+)?$")
# RFC 8463 Appendix A.2: an Ed25519 key as the base64 of its seed, and its public key.
RFC8463_SEED = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="
RFC8463_PUBLIC = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

# dkimpy is Debian's python3-dkim: the system interpreter has it, a pyenv one on PATH may not.
VERIFY = r"""
import json, sys, dkim
records = json.loads(sys.argv[1])
message = sys.stdin.buffer.read()
def dns(name, timeout=5):
    return records.get(name.decode().rstrip('.'), '').encode() or None
d = dkim.DKIM(message, minkey=1024)
try:
    print(d.verify(idx=int(sys.argv[2]), dnsfunc=dns))
except dkim.DKIMException as e:
    print('False: ' + str(e).split(' (')[0])
"""


def dkimpy(message, records, index):
    result = subprocess.run(["/usr/bin/python3", "-c", VERIFY, json.dumps(records), str(index)], input=message,
                            capture_output=True, timeout=60)
    return (result.stdout + result.stderr).decode().strip()


def tls_context():
    import ssl
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class DkimTestBase(MailDaemonTestCase):
    def setUp(self):
        super().setUp()
        self.start_mail_daemon()
        self.daemon.ctl("domain", "add", "example.org", check=0)

    def keys(self, domain="example.org"):
        return json.loads(self.daemon.ctl("--json", "dkim", "show", domain, check=0).stdout)

    def key_file(self, selector, domain="example.org"):
        return os.path.join(self.daemon.data_dir, "keys", f"dkim-{selector}._domainkey.{domain}.pem")

    def records(self, domain="example.org"):
        return {k["record_name"]: k["record_value"] for k in self.keys(domain)}


class KeyManagement(DkimTestBase):
    def test_new_domain_has_an_rsa_2048_key_shown_in_the_fixed_format(self):
        [key] = self.keys()
        self.assertEqual(set(key), KEY_FIELDS)
        self.assertRegex(key["selector"], SELECTOR)
        self.assertNotIn("-ed25519", key["selector"])
        self.assertEqual(key["algorithm"], "rsa")
        self.assertTrue(key["active"])
        self.assertEqual(key["record_name"], key["selector"] + "._domainkey.example.org")
        self.assertRegex(key["record_value"], r"^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$")
        # A 2048-bit SubjectPublicKeyInfo is 294 bytes of DER (RFC 6376 §3.6.1).
        self.assertEqual(len(base64.b64decode(key["record_value"].split("p=")[1])), 294)

        shown = self.daemon.ctl("dkim", "show", "example.org", check=0).stdout
        self.assertEqual(shown, f"{key['record_name']} {key['record_value']}\n")

        path = self.key_file(key["selector"])
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        with open(path) as f:
            self.assertTrue(f.read().startswith("-----BEGIN PRIVATE KEY-----"))

        # The same server keeps its id: a second domain's selector has the same 8 hex digits.
        self.daemon.ctl("domain", "add", "example.com", check=0)
        [other] = self.keys("example.com")
        self.assertEqual(other["selector"].split("-")[1], key["selector"].split("-")[1])

    def test_generate_rotate_retire_delete(self):
        d = self.daemon
        [first] = self.keys()
        out = d.ctl("dkim", "generate", "example.org", "--algorithm", "ed25519", check=0).stdout
        ed = [k for k in self.keys() if k["algorithm"] == "ed25519"][0]
        self.assertRegex(ed["selector"], r"-ed25519$")
        self.assertRegex(ed["record_value"], r"^v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=$")
        self.assertIn(f"{ed['record_name']} {ed['record_value']}", out)

        refused = d.ctl("dkim", "generate", "example.org", check=1)
        self.assertIn(f"example.org already has an active rsa key ({first['selector']}); use rotate", refused.stderr)
        self.assertIn("error: 'bits' must be between 1024 and 4096 (field: bits)",
                      d.ctl("dkim", "rotate", "example.org", "--bits", "8192", check=1).stderr)
        self.assertIn("bits applies to RSA keys only",
                      d.ctl("dkim", "rotate", "example.org", "--algorithm", "ed25519", "--bits", "2048",
                            check=1).stderr)
        self.assertIn("there is no domain", d.ctl("dkim", "show", "nowhere.example", check=1).stderr)
        self.assertEqual(len(self.keys()), 2)  # nothing changed

        rotated = json.loads(d.ctl("--json", "dkim", "rotate", "example.org", "--bits", "1024", check=0).stdout)
        self.assertEqual(rotated["selector"], first["selector"] + "-2")  # same month: a numbered selector
        self.assertEqual(len(base64.b64decode(rotated["record_value"].split("p=")[1])), 162)  # 1024 bits
        self.assertEqual([k["active"] for k in self.keys()], [True, True, True])

        d.ctl("dkim", "retire", "example.org", first["selector"], check=0)
        self.assertEqual([(k["selector"], k["active"]) for k in self.keys()],
                         [(first["selector"], False), (ed["selector"], True), (rotated["selector"], True)])
        self.assertIn("already retired", d.ctl("dkim", "retire", "example.org", first["selector"], check=1).stderr)
        self.assertTrue(os.path.exists(self.key_file(first["selector"])))  # retired keys stay until deleted

        d.ctl("dkim", "delete", "example.org", first["selector"], check=0)
        self.assertFalse(os.path.exists(self.key_file(first["selector"])))
        self.assertEqual([k["selector"] for k in self.keys()], [ed["selector"], rotated["selector"]])
        self.assertIn("has no DKIM key with selector",
                      d.ctl("dkim", "delete", "example.org", first["selector"], check=1).stderr)

        # Removing the domain removes its key files too.
        d.ctl("domain", "remove", "example.org", check=0)
        self.assertEqual([f for f in os.listdir(os.path.join(d.data_dir, "keys")) if f.startswith("dkim-")], [])

    def test_import_reads_the_key_from_stdin_only(self):
        d = self.daemon
        with tempfile.TemporaryDirectory() as tmp:
            private = os.path.join(tmp, "key.pem")
            subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                            "-out", private], check=True, capture_output=True)
            public_der = subprocess.run(["openssl", "pkey", "-in", private, "-pubout", "-outform", "DER"],
                                        check=True, capture_output=True).stdout
            public_pem = subprocess.run(["openssl", "pkey", "-in", private, "-pubout"], check=True,
                                        capture_output=True, text=True).stdout
            with open(private) as f:
                pem = f.read()
        out = d.ctl("dkim", "import", "example.org", "--selector", "Legacy2019", stdin=pem, check=0).stdout
        expected = f"legacy2019._domainkey.example.org v=DKIM1; k=rsa; p={base64.b64encode(public_der).decode()}"
        self.assertIn(expected, out)
        self.assertIn(expected + "\n", d.ctl("dkim", "show", "example.org", check=0).stdout)
        self.assertEqual(stat.S_IMODE(os.stat(self.key_file("legacy2019")).st_mode), 0o600)

        d.ctl("dkim", "import", "example.org", "--selector", "brisbane", stdin=RFC8463_SEED + "\n", check=0)
        self.assertEqual(self.records()["brisbane._domainkey.example.org"], f"v=DKIM1; k=ed25519; p={RFC8463_PUBLIC}")

        before = self.keys()
        self.assertIn("this is a public key",
                      d.ctl("dkim", "import", "example.org", "--selector", "pub", stdin=public_pem, check=1).stderr)
        self.assertIn("already has a DKIM key with selector legacy2019",
                      d.ctl("dkim", "import", "example.org", "--selector", "legacy2019", stdin=pem, check=1).stderr)
        self.assertIn("is not a selector",
                      d.ctl("dkim", "import", "example.org", "--selector", "../x", stdin=pem, check=1).stderr)
        self.assertIn("standard input", d.ctl("dkim", "import", "example.org", "--selector", "s", stdin="",
                                              check=2).stderr)
        d.ctl("dkim", "import", "example.org", stdin=pem, check=2)  # --selector is required
        self.assertEqual(self.keys(), before)

        # The private key never comes back: not in any API answer, the event log or the daemon's log.
        secret = "".join(pem.strip().splitlines()[1:-1])
        outputs = [d.ctl("--json", "dkim", "show", "example.org", check=0).stdout,
                   d.ctl("--json", "events", "list", check=0).stdout, d.log_text()]
        db = sqlite3.connect(f"file:{d.data_dir}/promail.db?mode=ro", uri=True)
        outputs += [row[0] for row in db.execute("SELECT details FROM event_log")]
        db.close()
        for text in outputs:
            self.assertNotIn("PRIVATE KEY", text)
            self.assertNotIn(secret[:64], text.replace("\\n", "").replace("\n", ""))
            self.assertNotIn(RFC8463_SEED, text)
        self.assertIn("(redacted)", outputs[1])


class Signing(DkimTestBase):
    def setUp(self):
        super().setUp()
        d = self.daemon
        d.ctl("mailbox", "add", "alice@example.org", "--password-stdin", stdin=PASSWORD + "\n", check=0)
        d.ctl("alias", "add", "info@example.org", "partner@remote.example.net", check=0)
        d.ctl("dkim", "generate", "example.org", "--algorithm", "ed25519", check=0)

    def submit(self, message, recipients=("partner@remote.example.net",)):
        with smtplib.SMTP("127.0.0.1", self.ports["submission"], timeout=10) as client:
            client.ehlo("client.example.net")
            client.starttls(context=tls_context())
            client.ehlo("client.example.net")
            client.login("alice@example.org", PASSWORD)
            self.assertEqual(client.sendmail("alice@example.org", list(recipients), message,
                                             mail_options=["BODY=8BITMIME"]), {})

    def queued(self):
        """Every queued message file, oldest first, as bytes."""
        db = sqlite3.connect(f"file:{self.daemon.data_dir}/promail.db?mode=ro", uri=True)
        files = [row[0] for row in db.execute("SELECT file FROM queue_messages ORDER BY id")]
        db.close()
        contents = []
        for name in files:
            with open(os.path.join(self.daemon.data_dir, "queue", name), "rb") as f:
                contents.append(f.read())
        return contents

    def signatures(self, message):
        return re.findall(rb"^DKIM-Signature:.*?s=([^;]+);", message, re.M | re.S)

    def test_external_mail_is_signed_with_every_active_key_and_verifies(self):
        long_line = " ".join(f"word{i}" for i in range(200))
        message = ("From: Alice =?utf-8?q?Z=C3=B6e?= <alice@example.org>\r\n"
                   "To: Partner <partner@remote.example.net>,\r\n\tOther <other@remote.example.net>\r\n"
                   "Subject: a folded\r\n  subject line\r\n"
                   "Date: Tue, 08 Dec 2026 01:00:00 +0000\r\nMessage-ID: <dkim-1@example.org>\r\n"
                   "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                   "Content-Transfer-Encoding: 8bit\r\n\r\n"
                   f"Grüße aus Köln, 日本.  \t\r\n{long_line}\r\n\r\n\r\n").encode()
        self.submit(message)
        [queued] = self.queued()
        records = self.records()
        self.assertEqual(sorted(s.decode() for s in self.signatures(queued)),
                         sorted(k["selector"] for k in self.keys()))
        self.assertTrue(queued.endswith(message))  # the message itself is untouched
        self.assertNotIn(b" l=", queued.split(b"\r\n\r\n")[0])
        for index in (0, 1):
            self.assertEqual(dkimpy(queued, records, index), "True")
        # Changing a signed header breaks both signatures.
        forged = queued.replace(b"Subject: a folded", b"Subject: b folded")
        self.assertEqual([dkimpy(forged, records, i) for i in (0, 1)], ["False", "False"])

    def test_rotation_signs_with_old_and_new_until_the_old_key_is_retired(self):
        d = self.daemon
        old = [k for k in self.keys() if k["algorithm"] == "rsa"][0]
        new = json.loads(d.ctl("--json", "dkim", "rotate", "example.org", check=0).stdout)
        plain = b"From: alice@example.org\r\nTo: partner@remote.example.net\r\nSubject: one\r\n\r\nHello.\r\n"
        self.submit(plain)
        d.ctl("dkim", "retire", "example.org", old["selector"], check=0)
        self.submit(plain.replace(b"one", b"two"))
        first, second = self.queued()
        self.assertIn(old["selector"].encode(), self.signatures(first))
        self.assertIn(new["selector"].encode(), self.signatures(first))
        self.assertEqual(len(self.signatures(first)), 3)
        self.assertNotIn(old["selector"].encode(), self.signatures(second))
        self.assertEqual(len(self.signatures(second)), 2)
        records = self.records()
        for message in (first, second):
            for index in range(len(self.signatures(message))):
                self.assertEqual(dkimpy(message, records, index), "True")

    def test_mail_not_from_us_is_not_signed(self):
        # Forwarded by an alias: the From is someone else's.
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            client.sendmail("someone@remote.example.net", ["info@example.org"],
                            b"From: someone@remote.example.net\r\nSubject: hi\r\n\r\nHi.\r\n")
        # A domain without active keys.
        for key in self.keys():
            self.daemon.ctl("dkim", "retire", "example.org", key["selector"], check=0)
        self.submit(b"From: alice@example.org\r\nSubject: unsigned\r\n\r\nHi.\r\n")
        forwarded, unsigned = self.queued()
        self.assertNotIn(b"DKIM-Signature", forwarded)
        self.assertNotIn(b"DKIM-Signature", unsigned)


if __name__ == "__main__":
    import unittest
    unittest.main()
