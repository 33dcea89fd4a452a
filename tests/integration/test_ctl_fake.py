#!/usr/bin/env python3
"""promailctl against a fake admin socket (stdlib only).

A tiny AF_UNIX server in a thread answers canned responses and records every request line, so these
tests pin down what the client sends and prints without a running promaild. The end-to-end tests
against the real daemon live elsewhere.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BIN_DIR = os.environ.get("PROMAIL_BIN_DIR") or os.path.join(HERE, "..", "..", "build-ctl", "bin")
PROMAILCTL = os.path.join(BIN_DIR, "promailctl")


class FakeDaemon:
    """Answers each request line with `respond(request)` (a dict holding "result" or "error")."""

    def __init__(self, path, respond):
        self.path = path
        self.respond = respond
        self.requests = []  # parsed request objects, in order
        self.lines = []  # the raw request lines, '\n' included
        self.connections = 0
        self._lock = threading.Lock()
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(path)
        self._server.listen(8)
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn, conn.makefile("rb") as reader:
            for line in reader:
                request = json.loads(line)
                with self._lock:
                    self.lines.append(line)
                    self.requests.append(request)
                response = dict(self.respond(request))
                response["id"] = request["id"]
                conn.sendall(json.dumps(response).encode() + b"\n")

    def close(self):
        self._server.close()


def result(value):
    return {"result": value}


def error(code, message, field=None):
    body = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    return {"error": body}


DOMAIN = {
    "name": "example.org", "name_unicode": "example.org", "description": "Example Org", "active": True,
    "max_mailboxes": 5, "max_aliases": 0, "quota_mib": 0, "default_quota_mib": 1024, "max_quota_mib": 0,
    "postmaster": None, "catch_all": [], "mailbox_count": 0, "alias_count": 2, "allocated_quota_mib": 0,
    "created_at": "2026-11-22T10:00:00Z", "updated_at": "2026-11-22T10:00:00Z",
}


def mailbox(address, name="", quota=1024, active=True):
    local, domain = address.split("@")
    return {"address": address, "domain": domain, "local_part": local, "name": name, "quota_mib": quota,
            "active": active, "imap": True, "pop3": False, "smtp": True, "sieve": True, "tagged_mail": "inbox",
            "created_at": "2026-11-22T10:00:00Z", "updated_at": "2026-11-22T10:00:00Z"}


@unittest.skipUnless(os.access(PROMAILCTL, os.X_OK), "promailctl not built: " + PROMAILCTL)
class PromailctlAgainstFakeDaemon(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="pmctl")
        self.socket_path = os.path.join(self.dir, "admin.sock")
        self.answers = {}
        self.daemon = FakeDaemon(self.socket_path, self._answer)

    def tearDown(self):
        self.daemon.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _answer(self, request):
        answer = self.answers.get(request["method"])
        if answer is None:
            return error("internal", "the fake has no answer for " + request["method"])
        return answer(request) if callable(answer) else answer

    def ctl(self, *args, stdin="", socket_path=None, global_args=None, cwd=None):
        argv = [PROMAILCTL]
        argv += global_args if global_args is not None else ["--socket", socket_path or self.socket_path]
        argv += list(args)
        return subprocess.run(argv, input=stdin.encode(), capture_output=True, timeout=30, cwd=cwd)

    def assertOk(self, run):
        self.assertEqual(run.returncode, 0, run.stderr.decode())

    # --- requests -----------------------------------------------------------------------------

    def test_domain_add_sends_create_with_typed_params(self):
        self.answers["domains.create"] = result(DOMAIN)
        run = self.ctl("domain", "add", "example.org", "--max-mailboxes", "5")
        self.assertOk(run)
        self.assertEqual(self.daemon.requests,
                         [{"id": 1, "method": "domains.create", "params": {"name": "example.org", "max_mailboxes": 5}}])
        self.assertEqual(self.daemon.lines,
                         [b'{"id":1,"method":"domains.create","params":{"max_mailboxes":5,"name":"example.org"}}\n'])
        self.assertEqual(run.stdout, b"created domain example.org\n")
        self.assertEqual(run.stderr, b"")

    def test_domain_set_converts_booleans_lists_and_null(self):
        self.answers["domains.update"] = result(DOMAIN)
        run = self.ctl("domain", "set", "example.org", "--active", "off", "--catch-all", "a@example.org, b@example.org",
                       "--postmaster=", "--description=Main domain")
        self.assertOk(run)
        self.assertEqual(self.daemon.requests[0]["params"],
                         {"name": "example.org", "active": False, "catch_all": ["a@example.org", "b@example.org"],
                          "postmaster": None, "description": "Main domain"})
        self.assertEqual(run.stdout, b"updated domain example.org\n")

    def test_mailbox_add_reads_password_from_stdin(self):
        self.answers["mailboxes.create"] = result(mailbox("a@example.org"))
        run = self.ctl("mailbox", "add", "a@example.org", "--password-stdin", "--pop3", "yes",
                       stdin="correct horse battery\n")
        self.assertOk(run)
        self.assertEqual(self.daemon.requests,
                         [{"id": 1, "method": "mailboxes.create",
                           "params": {"address": "a@example.org", "password": "correct horse battery", "pop3": True}}])
        self.assertEqual(run.stdout, b"created mailbox a@example.org\n")

    def test_mailbox_add_without_password_is_a_usage_error(self):
        run = self.ctl("mailbox", "add", "a@example.org")
        self.assertEqual(run.returncode, 2)
        self.assertIn(b"needs one of --password-stdin, --password-hash", run.stderr)
        self.assertEqual(self.daemon.connections, 0)

    def test_mailbox_add_with_empty_stdin_is_a_usage_error(self):
        run = self.ctl("mailbox", "add", "a@example.org", "--password-stdin", stdin="")
        self.assertEqual(run.returncode, 2)
        self.assertIn(b"promailctl: --password-stdin: standard input is empty\n", run.stderr)
        self.assertEqual(self.daemon.requests, [])

    def test_mailbox_remove_needs_keep_or_delete(self):
        run = self.ctl("mailbox", "remove", "a@example.org")
        self.assertEqual(run.returncode, 2)
        self.assertEqual(run.stdout, b"")
        self.assertEqual(run.stderr,
                         b"promailctl: 'mailbox remove' needs one of --keep-mail, --delete-mail\n"
                         b"usage: promailctl mailbox remove ADDR (--keep-mail | --delete-mail)\n"
                         b"Run 'promailctl --help' for every command.\n")
        self.assertEqual(self.daemon.connections, 0)

    def test_mailbox_remove_keep_mail(self):
        self.answers["mailboxes.delete"] = result({"deleted": True, "archived_to": "/srv/archive/a.tar"})
        run = self.ctl("mailbox", "remove", "a@example.org", "--keep-mail")
        self.assertOk(run)
        self.assertEqual(self.daemon.requests[0],
                         {"id": 1, "method": "mailboxes.delete", "params": {"address": "a@example.org", "keep_mail": True}})
        self.assertEqual(run.stdout, b"removed mailbox a@example.org; its mail was archived to /srv/archive/a.tar\n")

    def test_mailbox_remove_both_choices_is_a_usage_error(self):
        run = self.ctl("mailbox", "remove", "a@example.org", "--keep-mail", "--delete-mail")
        self.assertEqual(run.returncode, 2)
        self.assertIn(b"promailctl: --keep-mail and --delete-mail cannot be used together\n", run.stderr)

    def test_usage_errors_exit_2(self):
        cases = [
            (["domain", "add", "example.org", "--active", "maybe"],
             b"promailctl: --active expects true/false/yes/no/on/off/1/0, not 'maybe'\n"),
            (["domain", "add", "example.org", "--bogus", "1"], b"promailctl: unknown flag --bogus for 'domain add'\n"),
            (["domain", "frobnicate"], b"promailctl: unknown verb 'frobnicate' for 'domain'"),
            (["domain", "show"], b"promailctl: 'domain show' needs NAME\n"),
            (["domain", "set", "example.org"], b"promailctl: 'domain set' needs at least one flag"),
            (["mailbox", "add", "a@example.org", "--password-hash", "x", "--tagged-mail", "spam"],
             b"promailctl: --tagged-mail expects one of inbox, folder, subject, not 'spam'\n"),
            (["nonsense"], b"promailctl: unknown resource 'nonsense'\n"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                run = self.ctl(*args)
                self.assertEqual(run.returncode, 2, run.stderr)
                self.assertTrue(run.stderr.startswith(message), run.stderr)
        self.assertEqual(self.daemon.connections, 0)

    def test_catch_all_and_settings_map_onto_their_methods(self):
        self.answers["domains.update"] = result(dict(DOMAIN, catch_all=["a@example.org", "b@example.org"]))
        self.answers["settings.set"] = result(
            {"key": "password.min_length", "type": "int", "value": 12, "default": 8,
             "description": "shortest password accepted for a mailbox"})
        self.assertOk(self.ctl("catch-all", "set", "example.org", "a@example.org,b@example.org"))
        run = self.ctl("settings", "set", "password.min_length", "12")
        self.assertOk(run)
        self.assertEqual([(r["method"], r["params"]) for r in self.daemon.requests], [
            ("domains.update", {"name": "example.org", "catch_all": ["a@example.org", "b@example.org"]}),
            ("settings.set", {"key": "password.min_length", "value": "12"}),
        ])
        self.assertEqual(run.stdout, b"password.min_length = 12\n")

    # --- output -------------------------------------------------------------------------------

    def test_domain_list_prints_an_aligned_table(self):
        self.answers["domains.list"] = result({"items": [
            dict(DOMAIN, mailbox_count=12, alias_count=3),
            dict(DOMAIN, name="xn--bcher-kva.example", name_unicode="bücher.example", description="",
                 active=False, mailbox_count=0, alias_count=0, quota_mib=10240),
        ], "next_cursor": None})
        run = self.ctl("domain", "list")
        self.assertOk(run)
        self.assertEqual(run.stdout.decode(),
                         "NAME                   ACTIVE  MAILBOXES  ALIASES  QUOTA_MIB  DESCRIPTION\n"
                         "example.org            true    12         3        0          Example Org\n"
                         "xn--bcher-kva.example  false   0          0        10240      -\n")
        self.assertEqual(self.daemon.requests, [{"id": 1, "method": "domains.list", "params": {}}])

    def test_show_prints_key_value_lines(self):
        self.answers["domains.get"] = result(DOMAIN)
        run = self.ctl("domain", "show", "example.org")
        self.assertOk(run)
        self.assertEqual(run.stdout.decode(),
                         "name: example.org\n"
                         "name_unicode: example.org\n"
                         "description: Example Org\n"
                         "active: true\n"
                         "max_mailboxes: 5\n"
                         "max_aliases: 0\n"
                         "quota_mib: 0\n"
                         "default_quota_mib: 1024\n"
                         "max_quota_mib: 0\n"
                         "postmaster: -\n"
                         "catch_all:\n"
                         "mailbox_count: 0\n"
                         "alias_count: 2\n"
                         "allocated_quota_mib: 0\n"
                         "created_at: 2026-11-22T10:00:00Z\n"
                         "updated_at: 2026-11-22T10:00:00Z\n")

    def test_error_response_exits_1_with_message_and_field(self):
        self.answers["domains.create"] = error("conflict", "domain example.org already exists", "name")
        run = self.ctl("domain", "add", "example.org")
        self.assertEqual(run.returncode, 1)
        self.assertEqual(run.stdout, b"")
        self.assertEqual(run.stderr, b"error: domain example.org already exists (field: name)\n")

        self.answers["domains.delete"] = error("not_found", "no domain example.net")
        run = self.ctl("domain", "remove", "example.net")
        self.assertEqual(run.returncode, 1)
        self.assertEqual(run.stderr, b"error: no domain example.net\n")

    def test_json_prints_the_api_result(self):
        self.answers["domains.get"] = result(DOMAIN)
        run = self.ctl("--json", "domain", "show", "example.org")
        # --json before RESOURCE (the documented place) and after the arguments both work.
        run_after = self.ctl("domain", "show", "example.org", "--json")
        for r in (run, run_after):
            self.assertOk(r)
            self.assertEqual(json.loads(r.stdout), DOMAIN)
            self.assertTrue(r.stdout.startswith(b'{\n    "active": true,\n'), r.stdout)

        self.answers["mailboxes.delete"] = result({"deleted": True, "archived_to": None})
        run = self.ctl("--json", "mailbox", "remove", "a@example.org", "--delete-mail")
        self.assertOk(run)
        self.assertEqual(json.loads(run.stdout), {"deleted": True, "archived_to": None})

    def test_list_follows_next_cursor(self):
        pages = {
            None: {"items": [mailbox("a@example.org", "Alice"), mailbox("b@example.org", "Bob", 512)],
                   "next_cursor": "c2"},
            "c2": {"items": [mailbox("c@example.org", "", 2048, False)], "next_cursor": None},
        }
        self.answers["mailboxes.list"] = lambda request: result(pages[request["params"].get("cursor")])
        run = self.ctl("mailbox", "list", "--domain", "example.org")
        self.assertOk(run)
        self.assertEqual(self.daemon.requests, [
            {"id": 1, "method": "mailboxes.list", "params": {"domain": "example.org"}},
            {"id": 2, "method": "mailboxes.list", "params": {"domain": "example.org", "cursor": "c2"}},
        ])
        self.assertEqual(self.daemon.connections, 1)
        self.assertEqual(run.stdout.decode(),
                         "ADDRESS        NAME   QUOTA_MIB  ACTIVE\n"
                         "a@example.org  Alice  1024       true\n"
                         "b@example.org  Bob    512        true\n"
                         "c@example.org  -      2048       false\n")

        run = self.ctl("--json", "mailbox", "list", "--domain", "example.org")
        self.assertOk(run)
        self.assertEqual([m["address"] for m in json.loads(run.stdout)["items"]],
                         ["a@example.org", "b@example.org", "c@example.org"])
        self.assertIsNone(json.loads(run.stdout)["next_cursor"])

    def test_limit_fetches_one_page(self):
        self.answers["events.list"] = result({"items": [
            {"id": 7, "at": "2026-11-22T10:00:00Z", "actor": "local:uid=0", "action": "domains.create",
             "target": "example.org", "details": {}},
        ], "next_cursor": "e6"})
        run = self.ctl("events", "list", "--limit", "1")
        self.assertOk(run)
        self.assertEqual(self.daemon.requests, [{"id": 1, "method": "events.list", "params": {"limit": 1}}])
        self.assertEqual(run.stdout.decode(),
                         "AT                    ACTOR        ACTION          TARGET\n"
                         "2026-11-22T10:00:00Z  local:uid=0  domains.create  example.org\n")
        self.assertEqual(run.stderr, b"(more items: raise --limit or leave it out to list all)\n")

    # --- finding the socket -------------------------------------------------------------------

    def test_missing_socket_exits_1_with_a_clear_message(self):
        missing = os.path.join(self.dir, "nothing-here.sock")
        run = self.ctl("status", socket_path=missing)
        self.assertEqual(run.returncode, 1)
        self.assertEqual(run.stdout, b"")
        self.assertEqual(run.stderr, ("error: cannot connect to %s: is promaild running?\n" % missing).encode())

    def test_socket_from_data_dir_and_config(self):
        self.daemon.close()
        os.unlink(self.socket_path)
        data_dir = os.path.join(self.dir, "data")
        os.makedirs(os.path.join(data_dir, "run"))
        self.daemon = FakeDaemon(os.path.join(data_dir, "run", "admin.sock"), self._answer)
        self.answers["system.status"] = result({"version": "0.1.0", "hostname": "mx.example.org",
                                                "data_dir": data_dir, "started_at": "2026-11-22T10:00:00Z",
                                                "uptime_seconds": 42})
        expected = ("version: 0.1.0\nhostname: mx.example.org\ndata_dir: %s\n"
                    "started_at: 2026-11-22T10:00:00Z\nuptime_seconds: 42\n" % data_dir).encode()

        run = self.ctl("status", global_args=["--data-dir", data_dir])
        self.assertOk(run)
        self.assertEqual(run.stdout, expected)

        # A relative --data-dir is relative to the working directory (not QLocalSocket's temp dir).
        run = self.ctl("status", global_args=["--data-dir", "data"], cwd=self.dir)
        self.assertOk(run)

        config = os.path.join(self.dir, "promaild.conf")
        with open(config, "w") as f:
            f.write("# test config\n[listen]\ndata_dir = /wrong\n\n[server]\nhostname = mx.example.org\n"
                    "data_dir = %s\n" % data_dir)
        run = self.ctl("status", global_args=["--config", config])
        self.assertOk(run)
        self.assertEqual(run.stdout, expected)

        # Relative paths in promaild.conf are relative to the file's own folder (docs/configuration.md).
        os.makedirs(os.path.join(self.dir, "etc"))
        config = os.path.join(self.dir, "etc", "promaild.conf")
        with open(config, "w") as f:
            f.write("[server]\ndata_dir = ../data\n")
        run = self.ctl("status", global_args=["--config", config], cwd="/")
        self.assertOk(run)
        self.assertEqual(len(self.daemon.requests), 4)

        run = self.ctl("status", global_args=["--config", os.path.join(self.dir, "absent.conf")])
        self.assertEqual(run.returncode, 1)
        self.assertTrue(run.stderr.startswith(b"error: cannot read "), run.stderr)

        run = self.ctl("status", global_args=["--data-dir", data_dir, "--socket", self.socket_path])
        self.assertEqual(run.returncode, 2)


import datetime  # noqa: E402 (used by the queue tests below)


def queued(queue_id, sender, recipients, created_at, held=False, size=1234):
    return {"queue_id": queue_id, "sender": sender, "recipients": recipients, "size": size,
            "message_id": "<hi.1@example.org>", "envid": "", "ret": "", "authenticated_user": "",
            "client_address": "192.0.2.7", "held": held, "created_at": created_at}


def queued_recipient(address, status="pending", attempts=0, next_attempt_at="2026-11-22T10:00:00Z", last_error="",
                     orcpt="", notify=""):
    return {"address": address, "status": status, "attempts": attempts, "next_attempt_at": next_attempt_at,
            "last_error": last_error, "orcpt": orcpt, "notify": notify}


def ago(**delta):
    return (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


@unittest.skipUnless(os.access(PROMAILCTL, os.X_OK), "promailctl not built: " + PROMAILCTL)
class PromailctlQueueVerbs(unittest.TestCase):
    """queue list / queue show (docs/admin-api.md "queue")."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="pmctlq")
        self.socket_path = os.path.join(self.dir, "admin.sock")
        self.answers = {}
        self.daemon = FakeDaemon(self.socket_path, self._answer)

    def tearDown(self):
        self.daemon.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _answer(self, request):
        answer = self.answers.get(request["method"])
        if answer is None:
            return error("internal", "the fake has no answer for " + request["method"])
        return answer(request) if callable(answer) else answer

    def ctl(self, *args):
        return subprocess.run([PROMAILCTL, "--socket", self.socket_path] + list(args), capture_output=True,
                              timeout=30)

    def test_list_prints_one_line_per_message(self):
        self.answers["queue.list"] = result({"items": [
            queued("3F9K0QWERTY12345", "alice@example.org", [
                queued_recipient("bob@example.net", "deferred", 2),
                queued_recipient("carol@example.com", "delivered", 1),
                queued_recipient("dave@example.com"),
            ], ago(days=2, hours=1), size=52000),
            queued("7ZZ00000000000AB", "", [queued_recipient("erin@example.org")], ago(minutes=90), held=True),
            queued("0A00000000000001", "bounce@example.org", [queued_recipient("frank@example.net")], ago(seconds=5)),
        ], "next_cursor": None})
        run = self.ctl("queue", "list")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(self.daemon.requests, [{"id": 1, "method": "queue.list", "params": {}}])
        lines = run.stdout.decode().splitlines()
        self.assertEqual(lines[:3], [
            "QUEUE_ID          FROM                TO                  SIZE   STATUS    AGE",
            "3F9K0QWERTY12345  alice@example.org   bob@example.net +2  52000  deferred  2d",
            "7ZZ00000000000AB  <>                  erin@example.org    1234   held      1h",
        ])
        # Seconds tick while the test runs; the age stays in seconds.
        self.assertRegex(lines[3], r"^0A00000000000001  bounce@example.org  frank@example.net   1234   pending   \d+s$")
        self.assertEqual(len(lines), 4)

    def test_list_sends_search_and_limit(self):
        self.answers["queue.list"] = result({"items": [], "next_cursor": None})
        run = self.ctl("queue", "list", "--q", "alice", "--limit", "5")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(self.daemon.requests,
                         [{"id": 1, "method": "queue.list", "params": {"q": "alice", "limit": 5}}])
        self.assertEqual(run.stdout, b"QUEUE_ID  FROM  TO  SIZE  STATUS  AGE\n")

    def test_show_prints_the_message_and_each_recipient(self):
        message = dict(queued("3F9K0QWERTY12345", "alice@example.org", [
            queued_recipient("bob@example.net", "deferred", 2, "2026-11-22T11:00:00Z", "451 4.7.1 Try again later",
                             "rfc822;bob@example.net", "SUCCESS,FAILURE"),
            queued_recipient("carol@example.com"),
        ], "2026-11-22T10:00:00Z"), envid="QQ314159", ret="HDRS", authenticated_user="alice@example.org")
        self.answers["queue.get"] = result(message)
        run = self.ctl("queue", "show", "3F9K0QWERTY12345")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(self.daemon.requests,
                         [{"id": 1, "method": "queue.get", "params": {"queue_id": "3F9K0QWERTY12345"}}])
        self.assertEqual(run.stdout.decode(),
                         "queue_id: 3F9K0QWERTY12345\n"
                         "status: deferred\n"
                         "sender: alice@example.org\n"
                         "size: 1234\n"
                         "held: false\n"
                         "created_at: 2026-11-22T10:00:00Z\n"
                         "message_id: <hi.1@example.org>\n"
                         "envid: QQ314159\n"
                         "ret: HDRS\n"
                         "authenticated_user: alice@example.org\n"
                         "client_address: 192.0.2.7\n"
                         "recipient: bob@example.net\n"
                         "  status: deferred\n"
                         "  attempts: 2\n"
                         "  next_attempt_at: 2026-11-22T11:00:00Z\n"
                         "  last_error: 451 4.7.1 Try again later\n"
                         "  notify: SUCCESS,FAILURE\n"
                         "  orcpt: rfc822;bob@example.net\n"
                         "recipient: carol@example.com\n"
                         "  status: pending\n"
                         "  attempts: 0\n"
                         "  next_attempt_at: 2026-11-22T10:00:00Z\n")

        run = self.ctl("--json", "queue", "show", "3F9K0QWERTY12345")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(json.loads(run.stdout), message)

    def test_show_errors(self):
        self.answers["queue.get"] = error("not_found", "there is no message 0000000000000000 in the queue")
        run = self.ctl("queue", "show", "0000000000000000")
        self.assertEqual(run.returncode, 1)
        self.assertEqual(run.stdout, b"")
        self.assertEqual(run.stderr, b"error: there is no message 0000000000000000 in the queue\n")

        run = self.ctl("queue", "show")
        self.assertEqual(run.returncode, 2)
        self.assertIn(b"usage: promailctl queue show QUEUE_ID", run.stderr)
        self.assertEqual(len(self.daemon.requests), 1)


if __name__ == "__main__":
    unittest.main()
