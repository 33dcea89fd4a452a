// The CAPA table is the single source: docs/rfc-compliance.md must list every entry, and the
// table must stay the one the integration test (test_pop3.py) expects line by line.
#include "protocols/pop3/pop3capabilities.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestPop3Capabilities : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCapabilityIsDocumented()
    {
        QFile doc(QStringLiteral(PROMAIL_SOURCE_DIR) + u"/docs/rfc-compliance.md"_s);
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(doc.readAll());
        const qsizetype section = text.indexOf(u"## POP3"_s);
        QVERIFY(section >= 0);
        for (const Pop3Capability& capability : pop3Capabilities())
        {
            const QString row =
                u"| `"_s + QString::fromLatin1(capability.keyword) + u"` | "_s + capability.rfc + u" |"_s;
            QVERIFY2(text.indexOf(row, section) > section, qPrintable(row));
        }
    }

    void tableOrderAndScopes()
    {
        QStringList rows;
        for (const Pop3Capability& capability : pop3Capabilities())
        {
            const char* scope = capability.scope == Pop3CapabilityScope::Always      ? "always"
                                : capability.scope == Pop3CapabilityScope::BeforeTls ? "before TLS"
                                                                                     : "before login";
            rows.append(QString::fromLatin1(capability.keyword) + u'|' + QString::fromLatin1(scope));
        }
        QCOMPARE(rows, (QStringList{u"TOP|always"_s, u"UIDL|always"_s, u"RESP-CODES|always"_s,
                                    u"AUTH-RESP-CODE|always"_s, u"PIPELINING|always"_s, u"STLS|before TLS"_s,
                                    u"USER|before login"_s, u"SASL|before login"_s}));
    }
};

QTEST_GUILESS_MAIN(TestPop3Capabilities)
#include "tst_pop3capabilities.moc"
