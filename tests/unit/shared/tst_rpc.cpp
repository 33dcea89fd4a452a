// shared/rpc.h: the admin API envelope, built and read the same way by promaild and its clients.
#include "shared/rpc.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestRpc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encoders();
    void parseRequest_data();
    void parseRequest();
    void parseResponse_data();
    void parseResponse();
};

void TestRpc::encoders()
{
    QCOMPARE(rpc::encodeRequest(1, u"domains.create"_s, {{u"name"_s, u"example.org"_s}, {u"max_mailboxes"_s, 5}}),
             R"({"id":1,"method":"domains.create","params":{"max_mailboxes":5,"name":"example.org"}})"
             "\n"_ba);
    QCOMPARE(rpc::encodeRequest(7, u"system.status"_s, {}), R"({"id":7,"method":"system.status","params":{}})"
                                                            "\n"_ba);
    QCOMPARE(rpc::encodeResult(3, QJsonObject{{u"deleted"_s, true}, {u"archived_to"_s, QJsonValue::Null}}),
             R"({"id":3,"result":{"archived_to":null,"deleted":true}})"
             "\n"_ba);
    QCOMPARE(rpc::encodeError(QJsonValue::Null, ApiError::invalid(u"limit"_s, u"limit must be 1 to 1000"_s)),
             R"({"error":{"code":"invalid","field":"limit","message":"limit must be 1 to 1000"},"id":null})"
             "\n"_ba);
    QCOMPARE(rpc::encodeError(9, ApiError::notFound(u"no domain example.net"_s)),
             R"({"error":{"code":"not_found","message":"no domain example.net"},"id":9})"
             "\n"_ba);
}

void TestRpc::parseRequest_data()
{
    QTest::addColumn<QByteArray>("line");
    // "method params-as-compact-JSON" for a request, "error <code> <field>: <message>" otherwise.
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("expectedId"); // the id to answer with, as compact JSON

    QTest::newRow("request") << R"({"id":1,"method":"domains.get","params":{"name":"example.org"}})"
                                "\n"_ba
                             << uR"(domains.get {"name":"example.org"})"_s << u"1"_s;
    QTest::newRow("crlf") << R"({"id":2,"method":"tls.list","params":{}})"
                             "\r\n"_ba
                          << u"tls.list {}"_s << u"2"_s;
    QTest::newRow("params left out") << R"({"id":3,"method":"system.status"})"_ba << u"system.status {}"_s << u"3"_s;
    QTest::newRow("malformed json") << R"({"id":4,"method":)"_ba
                                    << u"error invalid : the request is not a JSON object"_s << u"null"_s;
    QTest::newRow("array") << "[1,2]"_ba << u"error invalid : the request is not a JSON object"_s << u"null"_s;
    QTest::newRow("empty line") << "\n"_ba << u"error invalid : the request is not a JSON object"_s << u"null"_s;
    QTest::newRow("string id") << R"({"id":"5","method":"tls.list"})"_ba << u"error invalid id: id must be a number"_s
                               << u"null"_s;
    QTest::newRow("no method") << R"({"id":6,"params":{}})"_ba
                               << u"error invalid method: method must be a non-empty string"_s << u"6"_s;
    QTest::newRow("params not an object") << R"({"id":7,"method":"tls.list","params":[]})"_ba
                                          << u"error invalid params: params must be an object"_s << u"7"_s;
    QTest::newRow("unknown envelope key") << R"({"id":8,"method":"tls.list","jsonrpc":"2.0"})"_ba
                                          << u"error invalid jsonrpc: unknown envelope key 'jsonrpc'"_s << u"8"_s;
}

void TestRpc::parseRequest()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);
    QFETCH(QString, expectedId);

    const rpc::ParsedRequest parsed = rpc::parseRequest(line);
    QString actual;
    if (parsed.request)
        actual = parsed.request->method + u' ' +
                 QString::fromUtf8(QJsonDocument(parsed.request->params).toJson(QJsonDocument::Compact));
    else
        actual =
            u"error "_s + errorCodeName(parsed.error.code) + u' ' + parsed.error.field + u": "_s + parsed.error.message;
    QCOMPARE(actual, expected);
    const QJsonValue id = parsed.request ? parsed.request->id : parsed.id;
    QCOMPARE(QString::fromUtf8(QJsonDocument(QJsonArray{id}).toJson(QJsonDocument::Compact)), u'[' + expectedId + u']');
}

void TestRpc::parseResponse_data()
{
    QTest::addColumn<QByteArray>("line");
    // "result <compact JSON>", "error <code> <field>: <message>" or "unreadable: <why>".
    QTest::addColumn<QString>("expected");

    QTest::newRow("result") << R"({"id":1,"result":{"deleted":true}})"
                               "\n"_ba
                            << uR"(result {"deleted":true})"_s;
    QTest::newRow("null result") << R"({"id":1,"result":null})"_ba << u"result null"_s;
    QTest::newRow("error with field")
        << R"({"id":2,"error":{"code":"conflict","message":"domain example.org already exists","field":"name"}})"_ba
        << u"error conflict name: domain example.org already exists"_s;
    QTest::newRow("error without field") << R"({"id":null,"error":{"code":"too_large","message":"line too long"}})"_ba
                                         << u"error too_large : line too long"_s;
    QTest::newRow("unknown code reads as internal")
        << R"({"id":3,"error":{"code":"exploded","message":"boom"}})"_ba << u"error internal : boom"_s;
    QTest::newRow("error without message")
        << R"({"id":4,"error":{"code":"invalid"}})"_ba << u"unreadable: the response has a malformed error"_s;
    QTest::newRow("neither") << R"({"id":5})"_ba << u"unreadable: the response has neither result nor error"_s;
    QTest::newRow("not json") << "HTTP/1.1 400 Bad Request\r\n"_ba
                              << u"unreadable: the response is not a JSON object"_s;
}

void TestRpc::parseResponse()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);

    const rpc::ParsedResponse parsed = rpc::parseResponse(line);
    QString actual;
    if (!parsed.response)
        actual = u"unreadable: "_s + parsed.error;
    else if (parsed.response->error)
        actual = u"error "_s + errorCodeName(parsed.response->error->code) + u' ' + parsed.response->error->field +
                 u": "_s + parsed.response->error->message;
    else
        actual = u"result "_s +
                 QString::fromUtf8(QJsonDocument(QJsonArray{parsed.response->result}).toJson(QJsonDocument::Compact))
                     .mid(1)
                     .chopped(1);
    QCOMPARE(actual, expected);
}

QTEST_GUILESS_MAIN(TestRpc)
#include "tst_rpc.moc"
