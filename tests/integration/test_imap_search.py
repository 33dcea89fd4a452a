"""IMAP SEARCH through the real promaild (RFC 9051 §6.4.4): every search key family over mail
delivered by SMTP with RFC 2047 encoded-word headers and quoted-printable/base64 bodies in
ISO-8859-1 and UTF-8, CHARSET and BADCHARSET, syntax errors, two sessions on one folder, and the
ESEARCH (RFC 4731) and SEARCHRES (RFC 5182) extensions. Responses are read as raw lines."""
import base64
import datetime
import re
import smtplib
import socket
import unittest

from test_imap import ALICE, PASSWORD, ImapTestBase, tls_context

JOERG = ("From: =?ISO-8859-1?Q?J=F6rg_M=FCller?= <joerg@remote.example.net>\r\nTo: alice@example.org\r\n"
         "Subject: =?ISO-8859-1?Q?Caf=E9_cr=E8me?=\r\nDate: Sun, 31 Dec 2023 23:30:00 -0500\r\n"
         "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
         "Un caf=E9 na=EFve, s'il vous pla=EEt.\r\n").encode()
BOB = ("From: Bob <bob@remote.example.net>\r\nTo: Alice <alice@example.org>\r\n"
       "Subject: =?UTF-8?B?" + base64.b64encode("Grüße aus Köln".encode()).decode() + "?=\r\n"
       "Date: Tue, 02 Jan 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
       "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
       + base64.encodebytes("Die Straße nach München ist lang.\r\n".encode()).decode().replace("\n", "\r\n")).encode()
CAROL = ("From: carol@remote.example.net\r\nTo: alice@example.org\r\nCc: Dave <dave@remote.example.net>\r\n"
         "Subject: Quarterly report\r\nX-Priority: 1\r\nDate: Wed, 03 Jan 2024 10:00:00 +0000\r\n"
         "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
         "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
         "The figures are attached =E2=80=94 r=C3=A9sum=C3=A9 inside.\r\n"
         "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
         + base64.b64encode(b"classified payload").decode() + "\r\n--b1--\r\n").encode()
LUNCH = ("From: sender@remote.example.net\r\nTo: alice@example.org\r\nBcc: erin@remote.example.net\r\n"
         "Subject: Lunch tomorrow?\r\nDate: Thu, 04 Jan 2024 12:00:00 +0000\r\n\r\n"
         "Shall we meet at noon?\r\n" + ("x" * 70 + "\r\n") * 70).encode()


def literals(text):
    """"<<text>>" as an IMAP literal of the text's UTF-8 bytes (RFC 9051 §4.3)."""
    return re.sub(r"<<(.*?)>>", lambda m: "{%d}\r\n%s" % (len(m.group(1).encode()), m.group(1)), text)
AARON = ("From: Aaron <aaron@remote.example.net>\r\nTo: alice@example.org\r\n"
         "Subject: Re: [team] Fwd: Quarterly report (fwd)\r\nDate: Thu, 01 Jun 2023 08:00:00 +0200 (CEST)\r\n"
         "Message-ID: <aaron-1@remote.example.net>\r\n\r\nSee below.\r\n").encode()


def threaded(message_id, subject, day, references="", in_reply_to=""):
    """A message of the THREAD tests, sent on `day` of February 2024."""
    fields = f"From: team@remote.example.net\r\nTo: alice@example.org\r\nSubject: {subject}\r\n" \
             f"Date: {day:02d} Feb 2024 09:00:00 +0000\r\nMessage-ID: <{message_id}>\r\n"
    if references:
        fields += f"References: {references}\r\n"
    if in_reply_to:
        fields += f"In-Reply-To: {in_reply_to}\r\n"
    return (fields + "\r\nText.\r\n").encode()


THREADED = [
    threaded("t1@x", "Plans", 1),
    threaded("t2@x", "Re: Plans", 2, references="<t1@x>"),
    threaded("t3@x", "Re: Plans", 3, in_reply_to="<t1@x>"),
    threaded("t4@x", "Re: Plans", 4, references="<t1@x>\r\n <t2@x>"),
    threaded("t5@x", "Budget", 5, references="<missing@x>"),
    threaded("t6@x", "Re: Budget", 6, references="<missing@x>"),
    threaded("t7@x", "RE: [team] Plans", 7),
]


class RawImap:
    """One IMAP session over TLS, read line by line so responses are checked exactly as sent."""

    def __init__(self, port):
        self.sock = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10))
        self.buffer = b""
        self.count = 0
        self.line()  # greeting

    def line(self):
        while b"\r\n" not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("connection closed")
            self.buffer += data
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def command(self, text):
        """Sends `tag text` (bytes or str; "{n}\\r\\n" literals wait for "+") and returns
        (untagged lines, tagged line without the tag)."""
        if isinstance(text, str):
            text = text.encode()
        self.count += 1
        tag = self.tag
        pieces = re.split(rb"(?<=\}\r\n)", tag + b" " + text)
        for i, piece in enumerate(pieces):
            self.sock.sendall(piece + (b"" if i < len(pieces) - 1 else b"\r\n"))
            if i < len(pieces) - 1:
                continuation = self.line()
                if not continuation.startswith(b"+"):
                    return [], continuation.split(b" ", 1)[1]
        untagged = []
        while True:
            line = self.line()
            if line.startswith(tag + b" "):
                return untagged, line[len(tag) + 1:]
            untagged.append(line)

    @property
    def tag(self):
        """The tag of the last command."""
        return b"s%d" % self.count

    def ok(self, text):
        untagged, tagged = self.command(text)
        if not tagged.startswith(b"OK"):
            raise AssertionError(f"{text!r}: {tagged!r}")
        return untagged

    def close(self):
        self.sock.close()


def esearch_start(session):
    """The start of the ESEARCH response to the session's last command (RFC 4731 §3.1)."""
    return b'* ESEARCH (TAG "' + session.tag + b'")'


class SearchTestBase(ImapTestBase):
    def setUp(self):
        super().setUp()
        for raw in (JOERG, BOB, CAROL, LUNCH):
            self.deliver_raw(raw)
        self.assertEqual(len(self.message_files()), 4)
        self.a = self.session()
        self.uids = [int(re.search(rb"UID (\d+)", line).group(1)) for line in self.a.ok("FETCH 1:* (UID)")]

    def tearDown(self):
        self.a.close()
        super().tearDown()

    def deliver_raw(self, raw):
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=10) as client:
            self.assertEqual(client.sendmail("sender@remote.example.net", [ALICE], raw), {})

    def session(self):
        session = RawImap(self.ports["imaps"])
        session.ok(f'LOGIN {ALICE} "{PASSWORD}"')
        session.ok("SELECT INBOX")
        return session

    def search(self, keys, session=None):
        """The numbers of the one "* SEARCH" response to SEARCH `keys`; "<<text>>" goes as a literal."""
        untagged = (session or self.a).ok("SEARCH " + literals(keys))
        found = [line for line in untagged if line.startswith(b"* SEARCH")]
        self.assertEqual(len(found), 1, untagged)
        return found[0][len(b"* SEARCH"):].decode().strip()


class SearchKeys(SearchTestBase):
    def test_flag_size_date_and_number_keys(self):
        a = self.a
        a.ok(r"STORE 1 +FLAGS.SILENT (\Seen \Answered)")
        a.ok(r"STORE 2 +FLAGS.SILENT (\Flagged $Work)")
        a.ok(r"STORE 3 +FLAGS.SILENT (\Deleted \Draft)")
        expected = {
            "ALL": "1 2 3 4", "SEEN": "1", "UNSEEN": "2 3 4", "ANSWERED": "1", "UNANSWERED": "2 3 4",
            "FLAGGED": "2", "UNFLAGGED": "1 3 4", "DELETED": "3", "UNDELETED": "1 2 4", "DRAFT": "3",
            "UNDRAFT": "1 2 4", "KEYWORD $work": "2", "UNKEYWORD $Work": "1 3 4", "KEYWORD $Other": "",
            # RFC 3501 §6.4.4; ProMail keeps no \Recent, so nothing is new and everything old.
            "NEW": "", "RECENT": "", "OLD": "1 2 3 4",
            "LARGER 4000": "4", "SMALLER 4000": "1 2 3",
            "SENTON 31-Dec-2023": "1", "SENTBEFORE 3-Jan-2024": "1 2", "SENTSINCE \"3-Jan-2024\"": "3 4",
            "2:*": "2 3 4", "*": "4", "1,3": "1 3", "4:3": "3 4", "9": "",
            f"UID {self.uids[1]}:{self.uids[2]}": "2 3", "UID *": "4",
            "seen larger 1": "1",
        }
        # Internal dates are the day of delivery (UTC), compared without time (RFC 9051 §6.4.4).
        today = datetime.datetime.now(datetime.timezone.utc).date()
        months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        day = lambda d: f"{d.day}-{months[d.month - 1]}-{d.year}"
        expected.update({f"ON {day(today)}": "1 2 3 4", f"BEFORE {day(today)}": "",
                         f"SINCE {day(today)}": "1 2 3 4", f"SINCE {day(today + datetime.timedelta(days=1))}": "",
                         f"BEFORE {day(today + datetime.timedelta(days=1))}": "1 2 3 4"})
        for keys, numbers in expected.items():
            with self.subTest(keys=keys):
                self.assertEqual(self.search(keys), numbers)
        # RFC 9051 §6.4.9: UID SEARCH answers with UIDs.
        self.assertEqual(a.ok("UID SEARCH UNSEEN"), [b"* SEARCH %d %d %d" % tuple(self.uids[1:])])

    def test_decoded_headers_and_bodies(self):
        expected = {
            # RFC 2047 encoded-words, ISO-8859-1 and UTF-8, matched case-insensitively after decoding.
            "SUBJECT <<CAFÉ CRÈME>>": "1", "FROM <<jörg MÜLLER>>": "1", "SUBJECT <<grüße>>": "2",
            "SUBJECT \"köln\"": "2", "FROM bob": "2", "FROM remote.example.net": "1 2 3 4",
            "TO alice": "1 2 3 4", "TO \"Alice <\"": "2", "CC dave": "3", "BCC erin": "4", "BCC dave": "",
            "SUBJECT report": "3", "HEADER X-Priority \"\"": "3", "HEADER x-priority 1": "3",
            "HEADER X-Mailer \"\"": "",
            # Bodies: quoted-printable ISO-8859-1, base64 UTF-8, the text part of a multipart.
            "BODY <<NAÏVE>>": "1", "BODY <<STRASSE>>": "", "BODY <<straße>>": "2",
            "BODY <<RÉSUMÉ>>": "3", "BODY <<—>>": "3", "BODY payload": "", "BODY quarterly": "",
            "TEXT quarterly": "3", "TEXT noon": "4", "TEXT <<münchen>>": "2", "BODY Subject": "",
        }
        for keys, numbers in expected.items():
            for charset in ("", "CHARSET UTF-8 "):
                with self.subTest(keys=keys, charset=charset):
                    self.assertEqual(self.search(charset + keys), numbers)
        self.assertEqual(self.search("CHARSET US-ASCII BODY noon"), "4")

    def test_or_not_and_lists(self):
        a = self.a
        a.ok(r"STORE 1 +FLAGS.SILENT (\Seen \Answered)")
        a.ok(r"STORE 2 +FLAGS.SILENT (\Flagged)")
        a.ok(r"STORE 3 +FLAGS.SILENT (\Deleted)")
        expected = {
            "OR SEEN FLAGGED": "1 2", "NOT OR SEEN FLAGGED": "3 4", "NOT NOT SEEN": "1",
            "OR (SEEN ANSWERED) (FROM bob NOT DELETED)": "1 2", "NOT (OR 1 2)": "3 4",
            "OR OR SEEN FLAGGED DELETED": "1 2 3", "(1:3 NOT 2)": "1 3", "((((UNSEEN))))": "2 3 4",
            "OR SUBJECT report NOT OR BODY noon TEXT carol": "1 2 3", "NOT ALL": "",
            "UNSEEN OR LARGER 4000 CC dave": "3 4",
        }
        for keys, numbers in expected.items():
            with self.subTest(keys=keys):
                self.assertEqual(self.search(keys), numbers)

    def test_errors(self):
        a = self.a
        badcharset = b"NO [BADCHARSET (UTF-8 US-ASCII)] Charset not supported"
        self.assertEqual(a.command("SEARCH CHARSET ISO-8859-1 SUBJECT caf"), ([], badcharset))
        self.assertEqual(a.command("UID SEARCH CHARSET KOI8-R ALL"), ([], badcharset))
        bad = {
            "SEARCH FOO": b"BAD Syntax error in SEARCH: unknown search key FOO",
            "SEARCH (SEEN": b'BAD Syntax error in SEARCH: expected ")"',
            "SEARCH SINCE 31-Feb-2024": b"BAD Syntax error in SEARCH: invalid date; expected dd-Mon-yyyy",
            "SEARCH": b'BAD Syntax error in SEARCH: expected " "',
            "SEARCH 0": b"BAD Syntax error in SEARCH: 0 is not a message number",
            "SEARCH OR SEEN": b'BAD Syntax error in SEARCH: expected " "',
            "SEARCH LARGER big": b"BAD Syntax error in SEARCH: expected a number",
            "SEARCH SEEN ": b"BAD Syntax error in SEARCH: expected an atom",
            "SEARCH CHARSET": b"BAD Syntax error in SEARCH: unknown search key CHARSET",
            "UID SEARCH UID": b'BAD Syntax error in SEARCH: expected " "',
        }
        for command, response in bad.items():
            with self.subTest(command=command):
                self.assertEqual(a.command(command), ([], response))
        # The session goes on; SEARCH needs a selected folder.
        self.assertEqual(self.search("ALL"), "1 2 3 4")
        a.ok("UNSELECT")
        self.assertEqual(a.command("SEARCH ALL"), ([], b"BAD Command not valid in this state"))

    def test_two_sessions(self):
        a, b = self.a, self.session()
        b.ok(r"STORE 3 +FLAGS.SILENT (\Flagged)")
        self.deliver_raw(JOERG)
        # A's SEARCH sees B's flag and the new message, and tells A about both first.
        untagged = a.ok("SEARCH FLAGGED")
        self.assertEqual(untagged, [rb"* 3 FETCH (FLAGS (\Flagged))", b"* 5 EXISTS", b"* SEARCH 3"])
        self.assertEqual(self.search("SUBJECT <<café>>"), "1 5")
        b.ok(r"STORE 1 +FLAGS.SILENT (\Deleted)")
        b.ok("EXPUNGE")
        # RFC 9051 §7.5.1: no EXPUNGE during SEARCH, so A's numbers stay; UID SEARCH may report it.
        self.assertEqual(a.ok("SEARCH FLAGGED"), [b"* SEARCH 3"])
        untagged = a.ok("UID SEARCH FLAGGED")
        self.assertEqual(untagged, [b"* 1 EXPUNGE", b"* SEARCH %d" % self.uids[2]])
        self.assertEqual(self.search("FLAGGED"), "2")
        b.close()


class Esearch(SearchTestBase):
    def test_rfc4731_return_options(self):
        a = self.a
        a.ok(r"STORE 2:4 +FLAGS.SILENT (\Flagged)")
        # RFC 4731 §3.1 examples, with the folder's own numbers.
        untagged, tagged = a.command('SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"')
        self.assertEqual((untagged, tagged), ([esearch_start(a) + b' MIN 2 COUNT 3'], b"OK SEARCH completed"))
        self.assertEqual(a.ok('SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"'),
                         [esearch_start(a) + b' ALL 2:4'])
        self.assertEqual(a.ok("UID SEARCH RETURN (MIN MAX) 1:5000"),
                         [esearch_start(a) + b' UID MIN %d MAX %d' % (self.uids[0], self.uids[3])])
        self.assertEqual(a.ok("SEARCH RETURN (ALL MIN MAX COUNT) OR 1 3"),
                         [esearch_start(a) + b' MIN 1 MAX 3 ALL 1,3 COUNT 2'])
        uid_all = b"%d,%d:%d" % (self.uids[0], self.uids[2], self.uids[3]) if self.uids[3] == self.uids[2] + 1 \
            else b"%d,%d,%d" % (self.uids[0], self.uids[2], self.uids[3])
        self.assertEqual(a.ok("UID SEARCH RETURN (ALL) NOT 2"), [esearch_start(a) + b' UID ALL ' + uid_all])
        # Nothing matched: MIN, MAX and ALL are left out, COUNT is 0.
        self.assertEqual(a.ok("SEARCH RETURN (MIN MAX ALL COUNT) KEYWORD none"), [esearch_start(a) + b' COUNT 0'])
        self.assertEqual(a.ok("UID SEARCH RETURN (ALL) KEYWORD none"), [esearch_start(a) + b' UID'])
        # Errors.
        self.assertEqual(a.command("SEARCH RETURN (PARTIAL 1:5) ALL"),
                         ([], b"BAD Syntax error in SEARCH: unknown RETURN option PARTIAL"))
        self.assertEqual(a.command("SEARCH RETURN (MIN ALL"), ([], b"BAD Syntax error in SEARCH: expected \" \""))
        self.assertEqual(a.command("SEARCH RETURN MIN ALL"), ([], b'BAD Syntax error in SEARCH: expected "("'))
        self.assertEqual(a.command("SEARCH RETURN (MIN) CHARSET ISO-8859-2 ALL"),
                         ([], b"NO [BADCHARSET (UTF-8 US-ASCII)] Charset not supported"))


class SearchRes(SearchTestBase):
    def test_saved_result_in_fetch_store_copy(self):
        a = self.a
        a.ok(r"STORE 2:4 +FLAGS.SILENT (\Flagged)")
        # RFC 5182 §2.1 example: RETURN (SAVE) alone answers no ESEARCH; "$" then names the result.
        self.assertEqual(a.command('SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"'),
                         ([], b"OK SEARCH completed"))
        self.assertEqual(a.ok("FETCH $ (UID FLAGS)"),
                         [rb"* %d FETCH (UID %d FLAGS (\Flagged))" % (n + 1, self.uids[n]) for n in (1, 2, 3)])
        self.assertEqual(a.ok(r"UID STORE $ +FLAGS (\Answered)"),
                         [rb"* %d FETCH (FLAGS (\Flagged \Answered) UID %d)" % (n + 1, self.uids[n]) for n in (1, 2, 3)])
        self.assertEqual(self.search("$ SEEN"), "")
        self.assertEqual(self.search("NOT $"), "1")
        self.assertEqual(a.ok("UID SEARCH UID $"), [b"* SEARCH %d %d %d" % tuple(self.uids[1:])])
        untagged, tagged = a.command("COPY $ Archive")
        self.assertRegex(tagged, rb"^OK \[COPYUID \d+ [0-9:,]+ [0-9:,]+\] ")
        self.assertEqual(a.command("STATUS Archive (MESSAGES)")[0], [b'* STATUS "Archive" (MESSAGES 3)'])
        # RFC 5182 §2.2: a SEARCH that saves may use the previous "$"; SAVE with MIN keeps only the minimum.
        self.assertEqual(a.ok("UID SEARCH RETURN (SAVE MIN) $ NOT 2"),
                         [esearch_start(a) + b' UID MIN %d' % self.uids[2]])
        self.assertEqual(a.ok("FETCH $ (UID)"), [b"* 3 FETCH (UID %d)" % self.uids[2]])
        a.ok("SEARCH RETURN (SAVE MIN MAX) ALL")
        self.assertEqual(a.ok("FETCH $ (UID)"), [b"* 1 FETCH (UID %d)" % self.uids[0],
                                                 b"* 4 FETCH (UID %d)" % self.uids[3]])
        a.ok("SEARCH RETURN (SAVE MIN COUNT) 2:3")
        self.assertEqual(self.search("$"), "2 3")
        # RFC 5182 §2.1: a SEARCH with SAVE that fails leaves "$" empty.
        self.assertEqual(a.command("SEARCH RETURN (SAVE) CHARSET KOI8-R ALL"),
                         ([], b"NO [BADCHARSET (UTF-8 US-ASCII)] Charset not supported"))
        self.assertEqual(a.ok("FETCH $ (UID)"), [])
        a.ok("SEARCH RETURN (SAVE) ALL")
        self.assertEqual(a.command("SEARCH RETURN (SAVE) NOSUCHKEY")[1],
                         b"BAD Syntax error in SEARCH: unknown search key NOSUCHKEY")
        self.assertEqual(a.ok("FETCH $ (UID)"), [])
        # A failing SEARCH without SAVE leaves it alone.
        a.ok("SEARCH RETURN (SAVE) 4")
        a.command("SEARCH NOSUCHKEY")
        self.assertEqual(a.ok("FETCH $ (UID)"), [b"* 4 FETCH (UID %d)" % self.uids[3]])
        # "$" stands alone (RFC 5182 §4) and is emptied by SELECT and EXAMINE (§2.1).
        self.assertEqual(a.command("FETCH $,1 (UID)"), ([], b'BAD Syntax error: expected " "'))
        a.ok("EXAMINE INBOX")
        self.assertEqual(a.ok("FETCH $ (UID)"), [])
        self.assertEqual(self.search("$"), "")

    def test_saved_result_after_another_session_expunges(self):
        a, b = self.a, self.session()
        a.ok("SEARCH RETURN (SAVE) 1:2")
        b.ok(r"STORE 1 +FLAGS.SILENT (\Deleted)")
        b.ok("EXPUNGE")
        self.assertEqual(a.ok("NOOP"), [b"* 1 EXPUNGE"])
        # The saved result holds UIDs: the expunged message drops out, the other is now number 1.
        self.assertEqual(a.ok("FETCH $ (UID)"), [b"* 1 FETCH (UID %d)" % self.uids[1]])
        self.assertEqual(a.ok(r"STORE $ +FLAGS.SILENT (\Seen)"), [])
        self.assertEqual(self.search("SEEN", session=b), "1")
        b.close()


class Sort(SearchTestBase):
    def sort(self, command, session=None):
        untagged = (session or self.a).ok(literals(command))
        found = [line for line in untagged if line.startswith(b"* SORT")]
        self.assertEqual(len(found), 1, untagged)
        return found[0][len(b"* SORT"):].decode().strip()

    def test_rfc5256_sort(self):
        a = self.a
        self.deliver_raw(AARON)
        self.assertEqual(a.ok("NOOP"), [b"* 5 EXISTS"])
        sizes = [int(re.search(rb"RFC822.SIZE (\d+)", line).group(1)) for line in a.ok("FETCH 1:* (RFC822.SIZE)")]
        by_size = " ".join(str(n + 1) for n in sorted(range(5), key=lambda n: sizes[n]))
        expected = {
            # Base subjects (§2.1): "Re: [team] Fwd: Quarterly report (fwd)" sorts with "Quarterly report".
            "SORT (SUBJECT) UTF-8 ALL": "1 2 4 3 5",
            "SORT (SUBJECT DATE) UTF-8 ALL": "1 2 4 5 3",
            "SORT (SUBJECT REVERSE DATE) US-ASCII ALL": "1 2 4 3 5",
            # The Date: fields in UTC; ties (same base subject, same arrival second) by number.
            "SORT (DATE) UTF-8 ALL": "5 1 2 3 4",
            "SORT (REVERSE DATE) UTF-8 ALL": "4 3 2 1 5",
            "SORT (ARRIVAL) UTF-8 ALL": "1 2 3 4 5",
            "SORT (SIZE) UTF-8 ALL": by_size,
            # The local part of the first address, without case; no Cc sorts first.
            "SORT (FROM) UTF-8 ALL": "5 2 3 1 4",
            "SORT (REVERSE FROM) UTF-8 ALL": "4 1 3 2 5",
            "SORT (CC) UTF-8 ALL": "1 2 4 5 3",
            "SORT (TO REVERSE FROM) UTF-8 ALL": "4 1 3 2 5",
            # Search keys after the charset, as for SEARCH.
            "SORT (SUBJECT) UTF-8 SENTSINCE 1-Jan-2024": "2 4 3",  # 1 was sent on 31-Dec-2023 -0500
            "SORT (REVERSE DATE) UTF-8 SUBJECT <<QUARTERLY>>": "3 5",
            "SORT (DATE) UTF-8 OR FROM <<jörg>> BODY <<straße>>": "1 2",
            "SORT (SUBJECT) UTF-8 KEYWORD none": "",
        }
        for command, numbers in expected.items():
            with self.subTest(command=command):
                self.assertEqual(self.sort(command), numbers)
        uids = self.uids + [int(re.search(rb"UID (\d+)", a.ok("FETCH 5 (UID)")[0]).group(1))]
        self.assertEqual(self.sort("UID SORT (FROM) UTF-8 ALL"), " ".join(str(uids[n - 1]) for n in (5, 2, 3, 1, 4)))
        # SEARCHRES: "$" as a search key of SORT.
        a.ok("SEARCH RETURN (SAVE) SUBJECT report")
        self.assertEqual(self.sort("SORT (DATE) UTF-8 $"), "5 3")
        # Errors.
        errors = {
            "SORT (SUBJECT) KOI8-R ALL": b"NO [BADCHARSET (UTF-8 US-ASCII)] Charset not supported",
            "SORT SUBJECT UTF-8 ALL": b'BAD Syntax error in SORT: expected "("',
            "SORT (COLOR) UTF-8 ALL": b"BAD Syntax error in SORT: unknown sort key COLOR",
            "SORT () UTF-8 ALL": b"BAD Syntax error in SORT: expected an atom",
            "SORT (SUBJECT) ALL": b'BAD Syntax error in SORT: expected " "',
            "SORT (SUBJECT) UTF-8 FOO": b"BAD Syntax error in SORT: unknown search key FOO",
            "SORT (REVERSE) UTF-8 ALL": b'BAD Syntax error in SORT: expected " "',
        }
        for command, response in errors.items():
            with self.subTest(command=command):
                self.assertEqual(a.command(command), ([], response))
        a.ok("UNSELECT")
        self.assertEqual(a.command("SORT (DATE) UTF-8 ALL"), ([], b"BAD Command not valid in this state"))

    def test_sort_sees_another_session(self):
        a, b = self.a, self.session()
        b.ok(r"STORE 2 +FLAGS.SILENT (\Flagged)")
        self.deliver_raw(AARON)
        untagged = a.ok("SORT (DATE) UTF-8 OR FLAGGED FROM aaron")
        self.assertEqual(untagged, [rb"* 2 FETCH (FLAGS (\Flagged))", b"* 5 EXISTS", b"* SORT 5 2"])
        b.ok("NOOP")
        b.ok(r"STORE 5 +FLAGS.SILENT (\Deleted)")
        b.ok("EXPUNGE")
        self.assertEqual(a.ok("SORT (DATE) UTF-8 FLAGGED"), [b"* SORT 2"])
        self.assertEqual(a.ok("UID SORT (DATE) UTF-8 ALL"),
                         [b"* 5 EXPUNGE", b"* SORT " + b" ".join(b"%d" % u for u in self.uids)])
        b.close()


class Thread(SearchTestBase):
    """Messages 1-4 are the search fixtures (no references, dates 31 Dec 2023 to 4 Jan 2024), 5-11 THREADED."""

    def setUp(self):
        super().setUp()
        for raw in THREADED:
            self.deliver_raw(raw)
        self.assertEqual(self.a.ok("NOOP"), [b"* 11 EXISTS"])

    def thread(self, command, session=None):
        untagged = (session or self.a).ok(literals(command))
        found = [line for line in untagged if line.startswith(b"* THREAD")]
        self.assertEqual(len(found), 1, untagged)
        return found[0].decode()

    def test_rfc5256_thread(self):
        a = self.a
        expected = {
            # REFERENCES (§3): 6 and 7 answer 5 (References, In-Reply-To), 8 answers 6; 9 and 10 share a
            # missing parent (a dummy); 11 has no references but joins 5 by its base subject.
            "THREAD REFERENCES UTF-8 ALL": "* THREAD (1)(2)(3)(4)(5 (6 8)(7)(11))((9)(10))",
            "THREAD references US-ASCII SUBJECT plans": "* THREAD (5 (6 8)(7)(11))",
            # Without 5, its replies hang under a dummy that 11 joins.
            "THREAD REFERENCES UTF-8 NOT 5": "* THREAD (1)(2)(3)(4)((6 8)(7)(11))((9)(10))",
            # ORDEREDSUBJECT: by base subject, the earliest the parent of the others.
            "THREAD ORDEREDSUBJECT UTF-8 ALL": "* THREAD (1)(2)(3)(4)(5 (6)(7)(8)(11))(9 10)",
            "THREAD ORDEREDSUBJECT UTF-8 9:*": "* THREAD (9 10)(11)",
            "THREAD REFERENCES UTF-8 SUBJECT <<CAFÉ>>": "* THREAD (1)",
            "THREAD REFERENCES UTF-8 KEYWORD none": "* THREAD",
        }
        for command, response in expected.items():
            with self.subTest(command=command):
                self.assertEqual(self.thread(command), response)
        uids = [int(re.search(rb"UID (\d+)", line).group(1)) for line in a.ok("FETCH 1:* (UID)")]
        self.assertEqual(self.thread("UID THREAD REFERENCES UTF-8 9:*"),
                         "* THREAD ((%d)(%d))(%d)" % (uids[8], uids[9], uids[10]))
        self.assertEqual(self.thread("UID THREAD ORDEREDSUBJECT UTF-8 SUBJECT budget"),
                         "* THREAD (%d %d)" % (uids[8], uids[9]))
        # SEARCHRES: "$" as the search key.
        a.ok("SEARCH RETURN (SAVE) 6:8")
        self.assertEqual(self.thread("THREAD REFERENCES UTF-8 $"), "* THREAD ((6 8)(7))")
        errors = {
            "THREAD FOO UTF-8 ALL": b"BAD Unsupported threading algorithm FOO",
            "THREAD REFERENCES KOI8-R ALL": b"NO [BADCHARSET (UTF-8 US-ASCII)] Charset not supported",
            "THREAD REFERENCES UTF-8": b'BAD Syntax error in THREAD: expected " "',
            "THREAD": b'BAD Syntax error in THREAD: expected " "',
            "THREAD REFERENCES UTF-8 (ALL": b'BAD Syntax error in THREAD: expected ")"',
        }
        for command, response in errors.items():
            with self.subTest(command=command):
                self.assertEqual(a.command(command), ([], response))
        a.ok("UNSELECT")
        self.assertEqual(a.command("THREAD REFERENCES UTF-8 ALL"), ([], b"BAD Command not valid in this state"))

    def test_thread_sees_another_session(self):
        a, b = self.a, self.session()
        self.deliver_raw(threaded("t8@x", "Re: Budget", 8, references="<missing@x> <t5@x>"))
        b.ok(r"STORE 10 +FLAGS.SILENT (\Seen)")
        untagged = a.ok("THREAD REFERENCES UTF-8 SUBJECT budget")
        self.assertEqual(untagged, [rb"* 10 FETCH (FLAGS (\Seen))", b"* 12 EXISTS", b"* THREAD ((9 12)(10))"])
        self.assertEqual(self.thread("THREAD ORDEREDSUBJECT UTF-8 UNSEEN SUBJECT budget"), "* THREAD (9 12)")
        b.close()


if __name__ == "__main__":
    unittest.main()
