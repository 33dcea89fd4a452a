// The capability table is the single source: docs/rfc-compliance.md must list every entry with
// its standard and the integration test that exercises it (issue 4), and that test must exist in the
// named file.
#include "protocols/imap/imapcapabilities.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestImapCapabilities : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCapabilityIsDocumentedWithItsTest()
    {
        QFile doc(QStringLiteral(PROMAIL_SOURCE_DIR) + u"/docs/rfc-compliance.md"_s);
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(doc.readAll());
        const qsizetype section = text.indexOf(u"## IMAP"_s);
        QVERIFY(section >= 0);
        for (const ImapCapability& capability : imapCapabilities())
        {
            const QString row = u"| `"_s + QString::fromLatin1(capability.name) + u"` | "_s + capability.rfc +
                                u" | `"_s + capability.test + u"` |"_s;
            QVERIFY2(text.indexOf(row, section) > section, qPrintable(row));
            const QStringList fileAndTest = capability.test.split(u' ');
            QCOMPARE(fileAndTest.size(), 2);
            QFile test(QStringLiteral(PROMAIL_SOURCE_DIR) + u"/tests/integration/"_s + fileAndTest[0]);
            QVERIFY2(test.open(QIODevice::ReadOnly), qPrintable(fileAndTest[0]));
            const QString tests = QString::fromUtf8(test.readAll());
            const QStringList parts = fileAndTest[1].split(u'.');
            QCOMPARE(parts.size(), 2);
            const qsizetype testClass = tests.indexOf(u"class "_s + parts[0] + u'(');
            QVERIFY2(testClass >= 0, qPrintable(parts[0]));
            QVERIFY2(tests.indexOf(u"def "_s + parts[1] + u"(self"_s, testClass) > testClass, qPrintable(parts[1]));
        }
    }

    void tableOrderAndScopes()
    {
        QStringList rows;
        for (const ImapCapability& capability : imapCapabilities())
        {
            const char* scope = capability.scope == ImapCapabilityScope::Always      ? "always"
                                : capability.scope == ImapCapabilityScope::BeforeTls ? "before TLS"
                                                                                     : "before login";
            rows.append(QString::fromLatin1(capability.name) + u'|' + QString::fromLatin1(scope));
        }
        QCOMPARE(rows, (QStringList{u"IMAP4rev1|always"_s,
                                    u"IMAP4rev2|always"_s,
                                    u"ENABLE|always"_s,
                                    u"CONDSTORE|always"_s,
                                    u"QRESYNC|always"_s,
                                    u"STARTTLS|before TLS"_s,
                                    u"LOGINDISABLED|before TLS"_s,
                                    u"AUTH=PLAIN|before login"_s,
                                    u"SASL-IR|before login"_s,
                                    u"CHILDREN|always"_s,
                                    u"IDLE|always"_s,
                                    u"MOVE|always"_s,
                                    u"SPECIAL-USE|always"_s,
                                    u"UIDPLUS|always"_s,
                                    u"UNSELECT|always"_s,
                                    u"NAMESPACE|always"_s,
                                    u"ACL|always"_s,
                                    u"RIGHTS=texk|always"_s,
                                    u"LIST-EXTENDED|always"_s,
                                    u"LIST-STATUS|always"_s,
                                    u"CREATE-SPECIAL-USE|always"_s,
                                    u"STATUS=SIZE|always"_s,
                                    u"APPENDLIMIT|always"_s,
                                    u"ID|always"_s,
                                    u"QUOTA|always"_s,
                                    u"QUOTA=RES-STORAGE|always"_s,
                                    u"QUOTA=RES-MESSAGE|always"_s,
                                    u"LITERAL-|always"_s,
                                    u"BINARY|always"_s,
                                    u"COMPRESS=DEFLATE|always"_s,
                                    u"ESEARCH|always"_s,
                                    u"SEARCHRES|always"_s,
                                    u"SORT|always"_s,
                                    u"THREAD=ORDEREDSUBJECT|always"_s,
                                    u"THREAD=REFERENCES|always"_s}));
    }
};

QTEST_GUILESS_MAIN(TestImapCapabilities)
#include "tst_imapcapabilities.moc"
