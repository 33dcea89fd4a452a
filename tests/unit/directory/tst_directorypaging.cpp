#include "directory/domainstore.h"
#include "directorytestfixture.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace promail;

// Listing domains: cursor paging and the case-insensitive filter.
class TestDirectoryPaging : public QObject, private test::DirectoryStoreTest
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    // Listing
    void domainPaging();
    void domainFilter();
};

void TestDirectoryPaging::init()
{
    const QString setUp = startFixture();
    QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
}

void TestDirectoryPaging::cleanup()
{
    stopFixture();
}

// ---- Listing ------------------------------------------------------------------------------------

void TestDirectoryPaging::domainPaging()
{
    for (const QString& name : {u"e.test"_s, u"c.test"_s, u"a.test"_s, u"d.test"_s, u"b.test"_s})
        PROMAIL_VERIFY_OK(createDomain(name));
    const DomainStore domains(context());
    auto names = [](const Page<Domain>& page)
    {
        QStringList result;
        for (const Domain& d : page.items)
            result.append(d.name);
        return result;
    };

    PageRequest request;
    request.limit = 2;
    const auto first = domains.list(request);
    PROMAIL_VERIFY_OK(first);
    QCOMPARE(names(*first), (QStringList{u"a.test"_s, u"b.test"_s}));
    QCOMPARE(first->nextCursor, u"b.test"_s);

    request.cursor = first->nextCursor;
    const auto second = domains.list(request);
    PROMAIL_VERIFY_OK(second);
    QCOMPARE(names(*second), (QStringList{u"c.test"_s, u"d.test"_s}));
    QCOMPARE(second->nextCursor, u"d.test"_s);

    request.cursor = second->nextCursor;
    const auto third = domains.list(request);
    PROMAIL_VERIFY_OK(third);
    QCOMPARE(names(*third), QStringList{u"e.test"_s});
    QCOMPARE(third->nextCursor, QString());

    // Exactly one full page: no cursor to an empty page.
    request.cursor.clear();
    request.limit = 5;
    const auto all = domains.list(request);
    PROMAIL_VERIFY_OK(all);
    QCOMPARE(all->items.size(), 5);
    QCOMPARE(all->nextCursor, QString());
}

void TestDirectoryPaging::domainFilter()
{
    for (const QString& name : {u"alpha.test"_s, u"beta.test"_s, u"alphabet.org"_s, u"bücher.example"_s})
        PROMAIL_VERIFY_OK(createDomain(name));
    DomainInput described;
    described.name = u"beta.test"_s;
    described.description = u"Customer ALPHA's second domain"_s;
    PROMAIL_VERIFY_OK(DomainStore(context()).update(described));
    const DomainStore domains(context());
    auto listed = [&](const QString& query, int limit)
    {
        PageRequest request;
        request.query = query;
        request.limit = limit;
        QStringList result;
        const auto page = domains.list(request);
        if (page)
        {
            for (const Domain& d : page->items)
                result.append(d.name);
        }
        return result;
    };

    QCOMPARE(listed(u"alpha"_s, 10), (QStringList{u"alpha.test"_s, u"alphabet.org"_s, u"beta.test"_s}));
    QCOMPARE(listed(u"ALPHA"_s, 10), (QStringList{u"alpha.test"_s, u"alphabet.org"_s, u"beta.test"_s}));
    QCOMPARE(listed(u"alpha"_s, 2), (QStringList{u"alpha.test"_s, u"alphabet.org"_s}));
    QCOMPARE(listed(u".org"_s, 10), QStringList{u"alphabet.org"_s});
    QCOMPARE(listed(u"%"_s, 10), QStringList()); // LIKE wildcards are literal
    QCOMPARE(listed(u"nothing"_s, 10), QStringList());
    QCOMPARE(listed(u"xn--bcher"_s, 10), QStringList{u"xn--bcher-kva.example"_s});
    // Domains are shown as U-labels, so an admin filters by what is shown.
    QCOMPARE(listed(u"bücher"_s, 10), QStringList{u"xn--bcher-kva.example"_s});
}

QTEST_GUILESS_MAIN(TestDirectoryPaging)
#include "tst_directorypaging.moc"
