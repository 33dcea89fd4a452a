"""The mail directory through the real promaild and promailctl: every verb of the contract,
clear errors, and persistence across a restart."""
import json
import os
import socket
import unittest

from promail_harness import DaemonTestCase


def rpc(daemon, method, params=None, raw=None):
    """One raw request on the admin socket, for checks promailctl cannot express."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(daemon.socket_path)
        line = raw if raw is not None else (json.dumps({"id": 7, "method": method, "params": params or {}}) + "\n").encode()
        s.sendall(line)
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return json.loads(data)


class DirectoryThroughCtl(DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.daemon = self.new_daemon()
        self.daemon.start()

    def ctl_json(self, *args):
        return json.loads(self.daemon.ctl("--json", *args, check=0).stdout)

    def populate(self):
        d = self.daemon
        d.ctl("domain", "add", "example.org", "--max-mailboxes", "10", "--quota-mib", "4096",
              "--default-quota-mib", "512", "--max-quota-mib", "2048", "--description", "Main", check=0)
        d.ctl("domain", "add", "bücher.example", check=0)
        d.ctl("domain-alias", "add", "example.net", "example.org", check=0)
        d.ctl("mailbox", "add", "alice@example.org", "--name", "Alice", "--quota-mib", "1024", "--password-stdin",
              stdin="correct horse battery\n", check=0)
        d.ctl("mailbox", "add", "bob@example.org", "--password-hash",
              "{SHA512-CRYPT}$6$saltsalt$yNjXUBym8Oc4kLo2tbIg9eZXP.WdQz0wuwsYQAmEc/en.nO0jA06T.5g8q/9Wr0Ipr7y06gD5fF4JFdo/LVct1",  # openssl passwd -6 -salt saltsalt 'bob password'
              check=0)
        d.ctl("alias", "add", "sales@example.org", "alice@example.org,bob@example.org", check=0)
        d.ctl("alias", "add", "*@example.org", "alice@example.org", check=0)
        d.ctl("list", "add", "team@example.org", "alice@example.org,carol@partner.example.com", "--members-only", "true",
              check=0)
        d.ctl("catch-all", "set", "bücher.example", "bob@example.org", check=0)

    def test_every_verb_and_persistence(self):
        self.populate()
        d = self.daemon
        d.ctl("mailbox", "set", "bob@example.org", "--active", "false", check=0)

        domains = self.ctl_json("domain", "list")
        names = [item["name"] for item in domains["items"]] if isinstance(domains, dict) else [i["name"] for i in domains]
        self.assertEqual(names, ["example.org", "xn--bcher-kva.example"])
        table = d.ctl("domain", "list", check=0).stdout
        self.assertIn("xn--bcher-kva.example", table)

        alice = self.ctl_json("mailbox", "show", "alice@example.org")
        self.assertEqual(alice["name"], "Alice")
        self.assertEqual(alice["quota_mib"], 1024)
        self.assertFalse(alice["pop3"])
        self.assertNotIn("password_hash", alice)

        resolved = self.ctl_json("resolve", "sales@example.net")
        self.assertEqual(resolved["status"], "ok")
        self.assertEqual([m["address"] for m in resolved["mailboxes"]], ["alice@example.org"])
        self.assertEqual(self.ctl_json("resolve", "random@example.org")["mailboxes"][0]["address"], "alice@example.org")
        self.assertEqual(self.ctl_json("resolve", "alice+shop@example.org")["mailboxes"][0]["tag"], "shop")
        self.assertEqual(self.ctl_json("resolve", "team@example.org")["external"], ["carol@partner.example.com"])
        # The catch-all of bücher.example points to bob, who is inactive: nothing to deliver to.
        catch_all = self.ctl_json("resolve", "someone@bücher.example")
        self.assertEqual(catch_all["status"], "unknown")
        self.assertIn("mailbox bob@example.org is inactive", catch_all["reason"])
        self.assertEqual(self.ctl_json("resolve", "bob@example.org")["status"], "inactive")
        self.assertEqual(self.ctl_json("resolve", "x@elsewhere.example.com")["status"], "not_local")

        postmaster = self.ctl_json("alias", "show", "postmaster@example.org")
        self.assertEqual(postmaster["destinations"], ["alice@example.org"])
        self.assertTrue(postmaster["system"])

        # Restart: everything is still there.
        self.assertEqual(d.stop(), 0)
        d.start()
        self.assertEqual(self.ctl_json("mailbox", "show", "bob@example.org")["active"], False)
        self.assertEqual(self.ctl_json("domain", "show", "example.org")["description"], "Main")
        self.assertEqual(self.ctl_json("domain", "show", "example.org")["allocated_quota_mib"], 1536)
        self.assertEqual(self.ctl_json("catch-all", "show", "bücher.example")["catch_all"], ["bob@example.org"])
        self.assertEqual(self.ctl_json("list", "show", "team@example.org")["members_only"], True)
        self.assertEqual(self.ctl_json("domain-alias", "show", "example.net")["target"], "example.org")
        aliases = d.ctl("alias", "list", "--domain", "example.org", check=0).stdout
        for address in ("*@example.org", "abuse@example.org", "postmaster@example.org", "sales@example.org"):
            self.assertIn(address, aliases)

        events = self.ctl_json("events", "list")
        items = events["items"] if isinstance(events, dict) else events
        self.assertTrue(any(e["action"] == "mailboxes.create" and e["target"] == "alice@example.org" and
                            e["actor"] == f"local:uid={os.geteuid()}" for e in items))
        self.assertTrue(all("correct horse" not in json.dumps(e) for e in items), "passwords must not be logged")
        self.assertNotIn("correct horse", d.log_text())

    def test_rules_give_clear_errors(self):
        self.populate()
        d = self.daemon
        cases = [
            (("mailbox", "add", "bad+tag@example.org", "--password-stdin"), "'+' is not allowed"),
            (("mailbox", "add", "joe_b@example.org", "--password-stdin"), "only letters, digits, '.' and '-' are allowed"),
            (("mailbox", "add", "shop.app@example.org", "--password-stdin"), "names ending in '.app' are reserved"),
            (("mailbox", "add", "a" * 65 + "@example.org", "--password-stdin"), "longer than 64 characters"),
            (("mailbox", "add", "sales@example.org", "--password-stdin"), "sales@example.org already exists as an alias"),
            (("mailbox", "add", "carl@example.org", "--quota-mib", "3000", "--password-stdin"),
             "exceeds the domain's largest mailbox quota of 2048 MiB"),
            (("mailbox", "add", "carl@example.net", "--password-stdin"), "is a domain alias of example.org"),
            (("alias", "add", "alice@example.org", "bob@example.org"), "alice@example.org already exists as a mailbox"),
            (("alias", "remove", "postmaster@example.org"), "cannot be removed while its domain exists"),
            (("domain", "add", "example.net"), "example.net is already a domain alias of example.org"),
            (("domain", "add", "localhost"), "needs at least two labels"),
            (("domain", "remove", "example.org"), "still has 2 mailboxes"),
            (("mailbox", "remove", "alice@example.org", "--delete-mail"), "@example.org delivers to alice@example.org; point it elsewhere first"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                result = d.ctl(*args, stdin="long enough password\n")
                self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
                self.assertIn(message, result.stderr)
        short = d.ctl("mailbox", "add", "dave@example.org", "--password-stdin", stdin="short\n")
        self.assertEqual(short.returncode, 1)
        self.assertIn("at least 8 characters", short.stderr)
        d.ctl("settings", "set", "password.min_length", "4", check=0)
        d.ctl("mailbox", "add", "dave@example.org", "--password-stdin", stdin="short\n", check=0)
        usage = d.ctl("mailbox", "remove", "dave@example.org")
        self.assertEqual(usage.returncode, 2)

    def test_remove_mailbox_keeps_or_deletes_mail(self):
        self.populate()
        d = self.daemon
        d.ctl("domain", "set", "example.org", "--postmaster", "alice@example.org", check=0)
        bob_dir = os.path.join(d.data_dir, "mail", "example.org", "bob")
        self.assertTrue(os.path.isdir(bob_dir))
        with open(os.path.join(bob_dir, "message"), "w") as f:
            f.write("Subject: kept\n\nhello\n")
        result = self.ctl_json("mailbox", "remove", "bob@example.org", "--keep-mail")
        archived = result["archived_to"]
        self.assertTrue(archived.startswith(os.path.join(d.data_dir, "archive", "example.org", "bob-")), archived)
        self.assertEqual(open(os.path.join(archived, "message")).read(), "Subject: kept\n\nhello\n")
        self.assertFalse(os.path.exists(bob_dir))
        self.assertEqual(self.ctl_json("resolve", "bob@example.org")["mailboxes"][0]["address"], "alice@example.org",
                         "after removal, the wildcard alias applies")

        d.ctl("mailbox", "add", "erin@example.org", "--password-stdin", stdin="long enough password\n", check=0)
        erin_dir = os.path.join(d.data_dir, "mail", "example.org", "erin")
        self.assertTrue(os.path.isdir(erin_dir))
        deleted = self.ctl_json("mailbox", "remove", "erin@example.org", "--delete-mail")
        self.assertIsNone(deleted["archived_to"])
        self.assertFalse(os.path.exists(erin_dir))

    def test_socket_protocol_errors(self):
        d = self.daemon
        self.assertEqual(rpc(d, None, raw=b"this is not json\n")["error"]["code"], "invalid")
        unknown = rpc(d, "domains.explode")
        self.assertEqual(unknown, {"id": 7, "error": {"code": "not_found", "message": "there is no method 'domains.explode'"}})
        bad_param = rpc(d, "domains.create", {"name": "example.org", "colour": "blue"})
        self.assertEqual(bad_param["error"], {"code": "invalid", "field": "colour",
                                              "message": "unknown parameter 'colour'"})
        wrong_type = rpc(d, "domains.create", {"name": "example.org", "max_mailboxes": "ten"})
        self.assertEqual(wrong_type["error"]["field"], "max_mailboxes")
        self.assertEqual(rpc(d, "domains.list")["result"]["items"], [], "rejected requests must change nothing")
        too_long = rpc(d, None, raw=b"{" + b" " * (1024 * 1024 + 10))
        self.assertEqual(too_long["error"]["code"], "too_large")
        # Pipelined requests on one connection are answered in order.
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(d.socket_path)
            s.sendall(b'{"id":1,"method":"system.status"}\n{"id":2,"method":"settings.list","params":{}}\n')
            data = b""
            while data.count(b"\n") < 2:
                data += s.recv(65536)
            first, second = [json.loads(line) for line in data.splitlines()]
            self.assertEqual((first["id"], second["id"]), (1, 2))
            self.assertEqual(first["result"]["hostname"], "mail.example.org")


if __name__ == "__main__":
    unittest.main()
