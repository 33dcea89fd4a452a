// The MAIL/RCPT argument parsers of smtppath.h: RFC 5321 §4.1.2 Path and esmtp-param, and the
// RFC 3461 §4 xtext of DSN parameters. Input is what follows "MAIL FROM:" / "RCPT TO:".
#include "protocols/abnf/cursor.h"
#include "protocols/smtp/smtppath.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

namespace
{

// "KEYWORD=value KEYWORD" — "=" only when the parameter had one, so "SIZE=" and "SIZE" differ.
QByteArray serialise(const QList<PathParameter>& parameters)
{
    QByteArrayList words;
    for (const PathParameter& parameter : parameters)
        words.append(parameter.hasValue ? QByteArray(parameter.keyword + '=' + parameter.value) : parameter.keyword);
    return words.join(' ');
}

} // namespace

class TestSmtpPath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pathAndParameters_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("path");       // compared when the parse succeeds
        QTest::addColumn<QByteArray>("parameters"); // compared when the parse succeeds
        QTest::addColumn<QString>("error");         // the cursor's error, empty for success

        // clang-format off
        QTest::newRow("plain") << "<alice@example.org>"_ba << "alice@example.org"_ba << ""_ba << QString();
        QTest::newRow("null path") << "<>"_ba << ""_ba << ""_ba << QString();
        QTest::newRow("null path with BODY") << "<> BODY=8BITMIME"_ba << ""_ba << "BODY=8BITMIME"_ba << QString();
        QTest::newRow("source route") << "<@a,@b:user@host>"_ba << "user@host"_ba << ""_ba << QString();
        QTest::newRow("one-hop source route")
            << "<@relay.example.net:user@example.org>"_ba << "user@example.org"_ba << ""_ba << QString();
        QTest::newRow("source route without colon")
            << "<@a,@b user@host>"_ba << ""_ba << ""_ba << u"expected \":\""_s;
        QTest::newRow("quoted local part with >")
            << "<\"a>b\"@example.org>"_ba << "\"a>b\"@example.org"_ba << ""_ba << QString();
        QTest::newRow("escaped quote")
            << "<\"a\\\"b\"@example.org>"_ba << "\"a\\\"b\"@example.org"_ba << ""_ba << QString();
        QTest::newRow("escaped backslash before closing quote")
            << "<\"a\\\\\"@example.org>"_ba << "\"a\\\\\"@example.org"_ba << ""_ba << QString();
        QTest::newRow("escaped > in quotes")
            << "<\"a\\>\"@x.example> SIZE=1"_ba << "\"a\\>\"@x.example"_ba << "SIZE=1"_ba << QString();
        QTest::newRow("missing >") << "<user@example.org"_ba << ""_ba << ""_ba << u"expected \">\""_s;
        QTest::newRow("missing > before parameters")
            << "<user@example.org SIZE=10"_ba << ""_ba << ""_ba << u"expected \">\""_s;
        QTest::newRow("unterminated quote") << "<\"user@example.org>"_ba << ""_ba << ""_ba << u"expected \">\""_s;
        QTest::newRow("no angle brackets") << "user@example.org"_ba << ""_ba << ""_ba << u"expected \"<\""_s;
        QTest::newRow("empty") << ""_ba << ""_ba << ""_ba << u"expected \"<\""_s;
        QTest::newRow("address literal") << "<user@[192.0.2.1]>"_ba << "user@[192.0.2.1]"_ba << ""_ba << QString();
        QTest::newRow("postmaster") << "<Postmaster>"_ba << "Postmaster"_ba << ""_ba << QString();
        QTest::newRow("UTF-8 local part")
            << "<j\xc3\xb6rg@example.org> SMTPUTF8"_ba << "j\xc3\xb6rg@example.org"_ba << "SMTPUTF8"_ba << QString();
        QTest::newRow("parameters with values")
            << "<a@b.example> SIZE=1000 BODY=8BITMIME"_ba << "a@b.example"_ba << "SIZE=1000 BODY=8BITMIME"_ba
            << QString();
        QTest::newRow("parameter without value") << "<a@b.example> SMTPUTF8"_ba << "a@b.example"_ba << "SMTPUTF8"_ba
                                                 << QString();
        QTest::newRow("mixed parameters")
            << "<a@b.example> SMTPUTF8 SIZE=5 RET=HDRS"_ba << "a@b.example"_ba << "SMTPUTF8 SIZE=5 RET=HDRS"_ba
            << QString();
        QTest::newRow("keywords upper-cased, values kept")
            << "<a@b.example> size=1000 body=8bitmime"_ba << "a@b.example"_ba << "SIZE=1000 BODY=8bitmime"_ba
            << QString();
        QTest::newRow("empty value") << "<a@b.example> SIZE="_ba << "a@b.example"_ba << "SIZE="_ba << QString();
        QTest::newRow("extra spaces")
            << "<a@b.example>   SIZE=1   SMTPUTF8   "_ba << "a@b.example"_ba << "SIZE=1 SMTPUTF8"_ba << QString();
        QTest::newRow("xtext value kept raw")
            << "<a@b.example> ENVID=QQ+2B1"_ba << "a@b.example"_ba << "ENVID=QQ+2B1"_ba << QString();
        QTest::newRow("= inside a value")
            << "<a@b.example> ORCPT=rfc822;a+3Db@c.example"_ba << "a@b.example"_ba
            << "ORCPT=rfc822;a+3Db@c.example"_ba << QString();
        QTest::newRow("no space before a parameter")
            << "<a@b.example>SIZE=1"_ba << ""_ba << ""_ba << u"expected a space"_s;
        QTest::newRow("double >") << "<a@b.example>>"_ba << ""_ba << ""_ba << u"expected a space"_s;
        QTest::newRow("empty keyword") << "<a@b.example> =1"_ba << ""_ba << ""_ba << u"empty parameter"_s;
        // clang-format on
    }

    void pathAndParameters()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, parameters);
        QFETCH(QString, error);

        Cursor cursor(input);
        const QByteArray readPathResult = readPath(cursor);
        const QList<PathParameter> readParametersResult = readParameters(cursor);
        QCOMPARE(cursor.error(), error);
        if (error.isEmpty())
        {
            QCOMPARE(readPathResult, path);
            QCOMPARE(serialise(readParametersResult), parameters);
            QVERIFY(cursor.atEnd());
        }
    }

    void sessionCommandLine()
    {
        // As SmtpSession::mail() reads it: verb, space, "FROM:" (any case), optional spaces, path.
        Cursor cursor("MAIL from: <a@b.example> size=12"_ba);
        QCOMPARE(cursor.until(" ").toUpper(), "MAIL"_ba);
        cursor.space();
        cursor.require("FROM:");
        cursor.skipSpaces();
        QCOMPARE(readPath(cursor), "a@b.example"_ba);
        const QList<PathParameter> parameters = readParameters(cursor);
        QVERIFY(cursor.ok());
        QCOMPARE(parameters.size(), 1);
        QCOMPARE(parameters.at(0).keyword, "SIZE"_ba);
        QCOMPARE(parameters.at(0).value, "12"_ba);
        QVERIFY(parameters.at(0).hasValue);
    }

    void xtext_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QByteArray>("decoded");

        // clang-format off
        QTest::newRow("plain") << "abc"_ba << true << "abc"_ba;
        QTest::newRow("empty") << ""_ba << true << ""_ba;
        QTest::newRow("+2B inside") << "a+2Bb"_ba << true << "a+b"_ba;
        QTest::newRow("+2B alone") << "+2B"_ba << true << "+"_ba;
        QTest::newRow("+3D") << "+3D"_ba << true << "="_ba;
        QTest::newRow("ORCPT address") << "user+2Btag@example.org"_ba << true << "user+tag@example.org"_ba;
        QTest::newRow("NUL") << "+00"_ba << true << "\x00"_ba;
        QTest::newRow("high byte") << "+FF"_ba << true << "\xff"_ba;
        QTest::newRow("edges of xchar") << "!~"_ba << true << "!~"_ba;
        QTest::newRow("truncated hexchar") << "+2"_ba << false << ""_ba;
        QTest::newRow("lone +") << "+"_ba << false << ""_ba;
        QTest::newRow("+ at the end") << "ab+"_ba << false << ""_ba;
        QTest::newRow("not hex") << "+ZZ"_ba << false << ""_ba;
        QTest::newRow("raw =") << "a=b"_ba << false << ""_ba;
        QTest::newRow("space") << "a b"_ba << false << ""_ba;
        QTest::newRow("TAB") << "a\tb"_ba << false << ""_ba;
        QTest::newRow("DEL") << "a\x7f"_ba << false << ""_ba;
        QTest::newRow("8-bit") << "\xc3\xa9"_ba << false << ""_ba;
        // RFC 3461 §4: hexchar is "+" and exactly two hex digits; a sign or a second "+" is not one.
        QTest::newRow("++2B") << "++2B"_ba << false << ""_ba;
        QTest::newRow("+-1") << "+-1"_ba << false << ""_ba;
        QTest::newRow("+ 1") << "+ 1"_ba << false << ""_ba;
        // clang-format on
    }

    void xtext()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, valid);
        QFETCH(QByteArray, decoded);

        const std::optional<QByteArray> result = decodeXtext(input);
        QCOMPARE(result.has_value(), valid);
        if (valid)
            QCOMPARE(*result, decoded);
    }
};

QTEST_GUILESS_MAIN(TestSmtpPath)
#include "tst_smtppath.moc"
