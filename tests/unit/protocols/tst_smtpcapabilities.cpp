// The EHLO capability table is the single source: docs/rfc-compliance.md must list every entry.
#include "protocols/smtp/smtpcapabilities.h"
#include "protocols/smtp/smtpreply.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestSmtpCapabilities : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCapabilityIsDocumented()
    {
        QFile doc(QStringLiteral(PROMAIL_SOURCE_DIR) + u"/docs/rfc-compliance.md"_s);
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(doc.readAll());
        for (const SmtpCapability& capability : smtpCapabilities())
        {
            const QString row =
                u"| `"_s + QString::fromLatin1(capability.keyword) + u"` | "_s + capability.rfc + u" |"_s;
            QVERIFY2(text.contains(row), qPrintable(row));
        }
    }

    void replyFormat()
    {
        QCOMPARE(SmtpReply(250, "2.1.0", u"Ok"_s).toWire(), "250 2.1.0 Ok\r\n"_ba);
        QCOMPARE(SmtpReply(220, {}, u"mx ESMTP"_s).toWire(), "220 mx ESMTP\r\n"_ba);
        QCOMPARE(SmtpReply(250, {}, QStringList{u"mx"_s, u"SIZE 10"_s, u"DSN"_s}).toWire(),
                 "250-mx\r\n250-SIZE 10\r\n250 DSN\r\n"_ba);
        QCOMPARE(SmtpReply(550, "5.1.1", QStringList{u"a"_s, u"b"_s}).toWire(), "550-5.1.1 a\r\n550 5.1.1 b\r\n"_ba);
        // Reply text never carries a line break into the protocol.
        QCOMPARE(SmtpReply(501, "5.5.4", u"bad\r\nMAIL"_s).toWire(), "501 5.5.4 bad  MAIL\r\n"_ba);
    }
};

QTEST_GUILESS_MAIN(TestSmtpCapabilities)
#include "tst_smtpcapabilities.moc"
