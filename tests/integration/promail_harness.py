"""Starts a real promaild in a temporary directory and drives it with the real promailctl.

Shared by the integration tests: each test gets its own data dir, config and loopback ports,
and the daemon is always stopped when the test ends.
"""
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

SOURCE_DIR = os.environ.get("PROMAIL_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
BIN_DIR = os.environ.get("PROMAIL_BIN_DIR", os.path.join(SOURCE_DIR, "build", "bin"))
PROMAILD = os.path.join(BIN_DIR, "promaild")
PROMAILCTL = os.path.join(BIN_DIR, "promailctl")


def free_ports(count):
    """Distinct free loopback ports: every socket stays bound until all are chosen, so the kernel
    cannot hand the same port out twice (one port per call could repeat and make two listeners clash)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def free_port():
    return free_ports(1)[0]


def service_ports(services):
    """A distinct free loopback port for each service name."""
    return dict(zip(services, free_ports(len(services))))


class Daemon:
    """One promaild: write_config(), start(), ctl(), stop(), kill()."""

    def __init__(self, workdir, extra_config=""):
        self.workdir = workdir
        self.data_dir = os.path.join(workdir, "data")
        self.config_path = os.path.join(workdir, "promaild.conf")
        self.log_path = os.path.join(workdir, "promaild.log")
        self.process = None
        self.write_config(extra_config)

    def write_config(self, extra=""):
        user = "user = nobody\n" if os.geteuid() == 0 else ""
        with open(self.config_path, "w") as f:
            f.write(f"[server]\nhostname = mail.example.org\ndata_dir = {self.data_dir}\n{user}\n{extra}")

    @property
    def socket_path(self):
        return os.path.join(self.data_dir, "run", "admin.sock")

    def start(self, env=None, wait=True):
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen([PROMAILD, "--config", self.config_path], stdout=self.log,
                                        stderr=subprocess.STDOUT, env=env or os.environ.copy())
        if wait:
            self.wait_ready()
        return self.process

    def wait_ready(self, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"promaild exited with {self.process.returncode}:\n{self.log_text()}")
            if os.path.exists(self.socket_path):
                try:
                    with socket.socket(socket.AF_UNIX) as s:
                        s.connect(self.socket_path)
                        return
                except OSError:
                    pass
            time.sleep(0.05)
        raise AssertionError(f"promaild did not open its admin socket:\n{self.log_text()}")

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self, timeout=15):
        """SIGTERM and wait; returns the exit code."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout)
        self.log.close()
        return code

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
            self.log.close()

    def ctl(self, *args, stdin=None, check=None):
        """Runs promailctl against this daemon; check=0/1/2 asserts the exit code."""
        result = subprocess.run([PROMAILCTL, "--socket", self.socket_path, *args], input=stdin,
                                capture_output=True, text=True, timeout=60)
        if check is not None and result.returncode != check:
            raise AssertionError(f"promailctl {' '.join(args)} exited {result.returncode}, expected {check}:\n"
                                 f"stdout: {result.stdout}\nstderr: {result.stderr}")
        return result


class DaemonTestCase(unittest.TestCase):
    """A test case with a fresh temporary directory per test and daemons cleaned up after it."""

    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="promail-test-")
        # The daemon drops to 'nobody' when the tests run as root: it must reach its data dir.
        os.chmod(self.workdir, 0o755)
        self.daemons = []

    def tearDown(self):
        for daemon in self.daemons:
            daemon.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def new_daemon(self, extra_config="", name="d"):
        workdir = os.path.join(self.workdir, name)
        os.makedirs(workdir, mode=0o755, exist_ok=True)
        os.chmod(workdir, 0o755)
        daemon = Daemon(workdir, extra_config)
        self.daemons.append(daemon)
        return daemon


def run_promaild(*args, timeout=30):
    return subprocess.run([PROMAILD, *args], capture_output=True, text=True, timeout=timeout)


def nobody_uid():
    return pwd.getpwnam("nobody").pw_uid


class MailDaemonTestCase(DaemonTestCase):
    """A daemon serving SMTP on loopback ports, with a small directory already set up."""

    SERVICES = ("smtp", "submission", "submissions")

    def start_mail_daemon(self, extra_config=""):
        self.ports = service_ports(self.SERVICES)
        listen = "".join(f"{service} = 127.0.0.1:{port}\n" for service, port in self.ports.items())
        self.daemon = self.new_daemon(f"[listen]\n{listen}\n{extra_config}")
        self.daemon.start()
        return self.daemon

    def mailbox_messages(self, address, folder="INBOX"):
        """The stored copies of a mailbox folder, oldest first, as bytes."""
        import sqlite3
        local, domain = address.split("@")
        db = sqlite3.connect(f"file:{self.daemon.data_dir}/promail.db?mode=ro", uri=True)
        try:
            rows = db.execute(
                "SELECT m.file FROM messages m JOIN folders f ON f.id = m.folder_id "
                "JOIN mailboxes b ON b.id = f.mailbox_id JOIN domains d ON d.id = b.domain_id "
                "WHERE b.local_part = ? AND d.name = ? AND f.name = ? ORDER BY m.uid", (local, domain, folder)).fetchall()
        finally:
            db.close()
        base = os.path.join(self.daemon.data_dir, "mail", domain, local)
        contents = []
        for (name,) in rows:
            with open(os.path.join(base, name), "rb") as f:
                contents.append(f.read())
        return contents
