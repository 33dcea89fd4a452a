// Typed settings: validation of admin input, and docs/configuration.md documents every key.
#include "core/settingdefinitions.h"

#include <QFile>
#include <QJsonValue>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace promail;

class TestSettingDefinitions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keysAreUniqueAndSorted()
    {
        QStringList keys;
        for (const SettingDefinition& definition : SettingDefinitions::all())
            keys.append(definition.key);
        QStringList sorted = keys;
        sorted.sort();
        sorted.removeDuplicates();
        QCOMPARE(keys, sorted);
    }

    void everyKeyIsDocumented()
    {
        QFile doc(QStringLiteral(PROMAIL_SOURCE_DIR) + u"/docs/configuration.md"_s);
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(doc.readAll());
        for (const SettingDefinition& definition : SettingDefinitions::all())
            QVERIFY2(text.contains(u"`"_s + definition.key + u"`"_s),
                     qPrintable(definition.key + u" is undocumented"_s));
    }

    void defaultsPassTheirOwnValidation()
    {
        for (const SettingDefinition& definition : SettingDefinitions::all())
        {
            const auto checked = definition.validate(definition.defaultValue);
            QVERIFY2(checked.ok(), qPrintable(definition.key));
            QCOMPARE(*checked, definition.defaultValue);
        }
    }

    void validate_data()
    {
        QTest::addColumn<QJsonValue>("input");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QJsonValue>("canonical");
        QTest::addColumn<QString>("message");
        QTest::newRow("number") << QJsonValue(12) << true << QJsonValue(12) << QString();
        QTest::newRow("text number") << QJsonValue(u" 7 "_s) << true << QJsonValue(7) << QString();
        QTest::newRow("minimum") << QJsonValue(1) << true << QJsonValue(1) << QString();
        QTest::newRow("below") << QJsonValue(0) << false << QJsonValue()
                               << u"password.min_length must be between 1 and 128"_s;
        QTest::newRow("above") << QJsonValue(u"129"_s) << false << QJsonValue()
                               << u"password.min_length must be between 1 and 128"_s;
        QTest::newRow("fraction") << QJsonValue(8.5) << false << QJsonValue()
                                  << u"password.min_length takes a whole number"_s;
        QTest::newRow("words") << QJsonValue(u"eight"_s) << false << QJsonValue()
                               << u"password.min_length takes a whole number"_s;
    }

    void validate()
    {
        QFETCH(QJsonValue, input);
        QFETCH(bool, ok);
        QFETCH(QJsonValue, canonical);
        QFETCH(QString, message);
        const SettingDefinition* definition = SettingDefinitions::find(u"password.min_length"_s);
        QVERIFY(definition);
        const auto result = definition->validate(input);
        QCOMPARE(result.ok(), ok);
        if (ok)
            QCOMPARE(*result, canonical);
        else
            QCOMPARE(result.error().message, message);
    }

    void boolParsing()
    {
        const SettingDefinition flag{u"x.flag"_s, SettingType::Bool, false, u"test"_s};
        QCOMPARE(*flag.validate(QJsonValue(u"yes"_s)), QJsonValue(true));
        QCOMPARE(*flag.validate(QJsonValue(u"OFF"_s)), QJsonValue(false));
        QCOMPARE(*flag.validate(QJsonValue(true)), QJsonValue(true));
        QCOMPARE(flag.validate(QJsonValue(u"maybe"_s)).error().message, u"x.flag takes true or false"_s);
    }
};

QTEST_GUILESS_MAIN(TestSettingDefinitions)
#include "tst_settingdefinitions.moc"
