"""promaild's life: configuration errors, data_dir layout and modes, privileges, TLS
certificates and SIGHUP, sd_notify, graceful stop."""
import os
import signal
import socket
import stat
import subprocess
import time
import unittest

from promail_harness import DaemonTestCase, nobody_uid, run_promaild


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def openssl_fingerprint(cert):
    out = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", cert],
                         capture_output=True, text=True, check=True).stdout.strip()
    return out.split("=", 1)[1]


def make_certificate(directory, name, cn):
    cert = os.path.join(directory, f"{name}.pem")
    key = os.path.join(directory, f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={cn}",
                    "-keyout", key, "-out", cert], capture_output=True, check=True)
    os.chmod(key, 0o644)  # readable by the unprivileged daemon in the test
    return cert, key


class ConfigErrors(DaemonTestCase):
    def check_fails(self, body, expected_fragment):
        path = os.path.join(self.workdir, "bad.conf")
        with open(path, "w") as f:
            f.write(body)
        for args in (["--check-config", "--config", path], ["--config", path]):
            result = run_promaild(*args)
            self.assertEqual(result.returncode, 2, result.stderr)
            lines = result.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, result.stderr)
            self.assertIn(expected_fragment, lines[0])
            self.assertTrue(lines[0].startswith("promaild: "), lines[0])

    def test_unknown_key(self):
        self.check_fails("[server]\nhostname = a.example.org\ncolour = blue\n", "bad.conf:3: unknown key 'colour' in [server]")

    def test_malformed_listen_address(self):
        self.check_fails("[server]\nuser = nobody\n[listen]\nsmtp = 127.0.0.1:25,localhost:25\n",
                         "bad.conf:4: invalid listen address 'localhost:25': 'localhost' is not an IP address")

    def test_unreadable_tls_file(self):
        self.check_fails("[server]\nuser = nobody\n[tls]\ncert = /nonexistent/cert.pem\nkey = /nonexistent/key.pem\n",
                         "/nonexistent/cert.pem")

    def test_missing_config_file(self):
        result = run_promaild("--config", os.path.join(self.workdir, "absent.conf"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("absent.conf: cannot read", result.stderr)

    def test_unknown_account(self):
        self.check_fails("[server]\nuser = no-such-account-here\n", "[server] user: there is no account 'no-such-account-here'")

    @unittest.skipUnless(os.geteuid() == 0, "root-only rule")
    def test_refuses_root_without_user(self):
        self.check_fails("[server]\nhostname = a.example.org\n", "refusing to run as root: set [server] user")

    def test_data_dir_that_cannot_be_created(self):
        blocker = os.path.join(self.workdir, "file")
        open(blocker, "w").close()
        path = os.path.join(self.workdir, "bad.conf")
        user = "user = nobody\n" if os.geteuid() == 0 else ""
        with open(path, "w") as f:
            f.write(f"[server]\n{user}data_dir = {blocker}/data\n")
        result = run_promaild("--config", path)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertIn(f"[server] data_dir: cannot create directory {blocker}/data", result.stderr)

    def test_valid_config_checks(self):
        daemon = self.new_daemon("[listen]\nsmtp = 127.0.0.1:2525, [::1]:2525\n")
        result = run_promaild("--check-config", "--config", daemon.config_path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("configuration is valid", result.stdout)
        self.assertFalse(os.path.exists(daemon.data_dir), "--check-config must not create anything")


class Lifecycle(DaemonTestCase):
    def test_layout_modes_privileges_and_limits(self):
        daemon = self.new_daemon()
        daemon.start()
        data = daemon.data_dir
        for sub in ("", "mail", "queue", "keys", "run", "archive"):
            self.assertEqual(mode(os.path.join(data, sub)), 0o700, sub)
        self.assertEqual(mode(os.path.join(data, "keys", "tls-key.pem")), 0o600)
        self.assertEqual(mode(os.path.join(data, "promail.db")), 0o600)
        self.assertEqual(mode(daemon.socket_path), 0o600)
        self.assertTrue(stat.S_ISSOCK(os.stat(daemon.socket_path).st_mode))

        status = open(f"/proc/{daemon.process.pid}/status").read()
        uid_line = next(line for line in status.splitlines() if line.startswith("Uid:"))
        expected_uid = nobody_uid() if os.geteuid() == 0 else os.geteuid()
        self.assertEqual(uid_line.split()[1:], [str(expected_uid)] * 4)
        if os.geteuid() == 0:
            self.assertEqual(os.stat(data).st_uid, expected_uid)

        limits = open(f"/proc/{daemon.process.pid}/limits").read()
        files = next(line for line in limits.splitlines() if line.startswith("Max open files")).split()
        self.assertEqual(files[3], files[4], "soft RLIMIT_NOFILE should be raised to the hard limit")

        self.assertEqual(daemon.stop(), 0)
        self.assertFalse(os.path.exists(daemon.socket_path))

    def test_fingerprint_of_generated_certificate(self):
        daemon = self.new_daemon()
        daemon.start()
        cert = os.path.join(daemon.data_dir, "keys", "tls-cert.pem")
        expected = openssl_fingerprint(cert)
        subject = subprocess.run(["openssl", "x509", "-noout", "-subject", "-in", cert], capture_output=True,
                                 text=True).stdout
        self.assertIn("CN = mail.example.org", subject)
        result = run_promaild("--print-fingerprint", "--config", daemon.config_path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), expected)
        listed = daemon.ctl("--json", "tls", "list", check=0).stdout
        self.assertIn(expected, listed)

    def test_sighup_reloads_certificates(self):
        daemon = self.new_daemon()
        certs = os.path.join(daemon.workdir, "certs")
        os.makedirs(certs)
        os.chmod(certs, 0o755)
        cert, key = make_certificate(certs, "server", "mail.example.org")
        sni_cert, sni_key = make_certificate(certs, "mx", "mx.example.net")
        daemon.write_config(f"[tls]\ncert = {cert}\nkey = {key}\n[tls:mx.example.net]\ncert = {sni_cert}\nkey = {sni_key}\n")
        daemon.start()
        first = openssl_fingerprint(cert)
        listed = daemon.ctl("--json", "tls", "list", check=0).stdout
        self.assertIn(first, listed)
        self.assertIn(openssl_fingerprint(sni_cert), listed)
        self.assertIn("mx.example.net", listed)

        # Replace the files in place, then SIGHUP: the new certificate is served.
        os.unlink(cert)
        os.unlink(key)
        make_certificate(certs, "server", "mail.example.org")
        second = openssl_fingerprint(cert)
        self.assertNotEqual(first, second)
        daemon.process.send_signal(signal.SIGHUP)
        deadline = time.time() + 10
        while time.time() < deadline and second not in daemon.ctl("--json", "tls", "list").stdout:
            time.sleep(0.1)
        self.assertIn(second, daemon.ctl("--json", "tls", "list", check=0).stdout)

        # A broken file on reload keeps the old certificate and logs the error.
        with open(cert, "w") as f:
            f.write("not a certificate\n")
        daemon.process.send_signal(signal.SIGHUP)
        time.sleep(1)
        self.assertIsNone(daemon.process.poll())
        self.assertIn(second, daemon.ctl("--json", "tls", "list", check=0).stdout)
        self.assertIn("certificate reload failed", daemon.log_text())

    def test_sd_notify_ready_and_stopping(self):
        daemon = self.new_daemon()
        notify_path = os.path.join(daemon.workdir, "notify.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind(notify_path)
        os.chmod(notify_path, 0o777)
        listener.settimeout(20)
        env = dict(os.environ, NOTIFY_SOCKET=notify_path)
        daemon.start(env=env)
        self.assertIn("READY=1", listener.recv(4096).decode())
        daemon.process.send_signal(signal.SIGTERM)
        messages = ""
        while "STOPPING=1" not in messages:
            messages += listener.recv(4096).decode()
        self.assertEqual(daemon.process.wait(15), 0)
        listener.close()

    def test_sigint_stops_cleanly(self):
        daemon = self.new_daemon()
        daemon.start()
        daemon.process.send_signal(signal.SIGINT)
        self.assertEqual(daemon.process.wait(15), 0)
        self.assertIn("stopping", daemon.log_text())


if __name__ == "__main__":
    unittest.main()
