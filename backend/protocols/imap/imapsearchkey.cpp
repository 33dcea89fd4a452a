#include "protocols/imap/imapsearchkey.h"

#include <algorithm>
#include <cctype>

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

using Kind = ImapSearchKey::Kind;

// Reads the search keys of RFC 9051 §9 (search-key) and RFC 3501 §6.4.4 (NEW, OLD, RECENT).
class SearchKeyReader
{
public:
    explicit SearchKeyReader(ImapParser& parser) : m_parser(parser), m_cursor(parser.cursor()) {}

    // search-key *(SP search-key), implicitly ANDed (RFC 9051 §6.4.4).
    ImapSearchKey keys()
    {
        ImapSearchKey all{Kind::And};
        do
        {
            all.children.append(key(0));
        } while (m_cursor.ok() && m_cursor.present(" "));
        return all.children.size() == 1 ? all.children.first() : all;
    }

private:
    ImapSearchKey key(int depth)
    {
        if (depth > ImapSearchProgram::kMaxDepth)
        {
            m_cursor.fail(u"search keys nested too deeply"_s);
            return {};
        }
        if (++m_count > ImapSearchProgram::kMaxKeys)
        {
            m_cursor.fail(u"too many search keys"_s);
            return {};
        }
        const char next = m_cursor.next();
        if (next == '(')
        {
            m_cursor.take();
            ImapSearchKey list{Kind::And};
            do
            {
                list.children.append(key(depth + 1));
            } while (m_cursor.ok() && m_cursor.present(" "));
            m_cursor.require(")");
            return list;
        }
        if ((next >= '0' && next <= '9') || next == '*' || next == '$')
        {
            ImapSearchKey set{Kind::MessageNumbers};
            set.set = m_parser.sequenceSet();
            return set;
        }
        const QByteArray name = m_parser.atom().toUpper();
        if (!m_cursor.ok())
            return {};
        if (ImapSearchKey flag; flagKey(name, flag))
            return flag;
        if (name == "ALL")
            return ImapSearchKey{Kind::All};
        if (name == "RECENT")
            return ImapSearchKey{Kind::Recent};
        if (name == "NEW")
        {
            ImapSearchKey both{Kind::And};
            both.children = {ImapSearchKey{Kind::Recent}, flagged("\\Seen", false)};
            return both;
        }
        if (name == "OLD")
            return negated(ImapSearchKey{Kind::Recent});
        if (name == "NOT")
        {
            m_parser.space();
            return negated(key(depth + 1));
        }
        if (name == "OR")
        {
            ImapSearchKey either{Kind::Or};
            m_parser.space();
            either.children.append(key(depth + 1));
            m_parser.space();
            either.children.append(key(depth + 1));
            return either;
        }
        if (name == "UID")
        {
            m_parser.space();
            ImapSearchKey uid{Kind::Uid};
            uid.set = m_parser.sequenceSet();
            return uid;
        }
        if (name == "KEYWORD" || name == "UNKEYWORD")
        {
            m_parser.space();
            return flagged(m_parser.atom(), name == "KEYWORD");
        }
        if (name == "LARGER" || name == "SMALLER")
        {
            m_parser.space();
            ImapSearchKey size{name == "LARGER" ? Kind::Larger : Kind::Smaller};
            size.number = m_cursor.number(18); // RFC 9051 §9 number64
            return size;
        }
        for (const auto& [dateName, kind] :
             std::initializer_list<std::pair<QByteArrayView, Kind>>{{"BEFORE", Kind::Before},
                                                                    {"ON", Kind::On},
                                                                    {"SINCE", Kind::Since},
                                                                    {"SENTBEFORE", Kind::SentBefore},
                                                                    {"SENTON", Kind::SentOn},
                                                                    {"SENTSINCE", Kind::SentSince}})
        {
            if (name == dateName)
            {
                m_parser.space();
                ImapSearchKey dated{kind};
                dated.date = date();
                return dated;
            }
        }
        for (QByteArrayView field : {"FROM", "TO", "CC", "BCC", "SUBJECT"})
        {
            if (name == field)
            {
                m_parser.space();
                ImapSearchKey header{Kind::Header};
                header.field = name;
                header.text = text();
                return header;
            }
        }
        if (name == "HEADER")
        {
            m_parser.space();
            ImapSearchKey header{Kind::Header};
            header.field = m_parser.astring();
            m_parser.space();
            header.text = text();
            return header;
        }
        if (name == "BODY" || name == "TEXT")
        {
            m_parser.space();
            ImapSearchKey body{name == "BODY" ? Kind::Body : Kind::Text};
            body.text = text();
            return body;
        }
        m_cursor.fail(u"unknown search key %1"_s.arg(QString::fromLatin1(name)));
        return {};
    }

    // The flag keys without an argument (RFC 9051 §6.4.4).
    static bool flagKey(const QByteArray& name, ImapSearchKey& key)
    {
        static const std::initializer_list<std::pair<QByteArrayView, QByteArrayView>> kFlags{{"ANSWERED", "\\Answered"},
                                                                                             {"DELETED", "\\Deleted"},
                                                                                             {"DRAFT", "\\Draft"},
                                                                                             {"FLAGGED", "\\Flagged"},
                                                                                             {"SEEN", "\\Seen"}};
        for (const auto& [keyName, flag] : kFlags)
        {
            if (name == keyName || (name.startsWith("UN") && name.sliced(2) == keyName))
            {
                key = flagged(flag.toByteArray(), name == keyName);
                return true;
            }
        }
        return false;
    }

    static ImapSearchKey flagged(const QByteArray& flag, bool present)
    {
        ImapSearchKey key{Kind::Flag};
        key.flag = flag;
        key.present = present;
        return key;
    }

    static ImapSearchKey negated(ImapSearchKey inner)
    {
        ImapSearchKey key{Kind::Not};
        key.children.append(std::move(inner));
        return key;
    }

    // RFC 9051 §9: search strings are astrings, in the command's charset (UTF-8 or US-ASCII).
    QString text() { return QString::fromUtf8(m_parser.astring()); }

    // RFC 9051 §9: date = date-text / DQUOTE date-text DQUOTE; date-text = date-day "-" date-month "-" date-year.
    QDate date()
    {
        const bool quoted = m_cursor.present("\"");
        const qint64 day = m_cursor.number(2);
        m_cursor.require("-");
        const QByteArray monthName = m_cursor.span([](unsigned char c) { return std::isalpha(c) != 0; }, u"a month"_s);
        m_cursor.require("-");
        const qint64 year = m_cursor.number(4);
        if (quoted)
            m_cursor.require("\"");
        if (!m_cursor.ok())
            return {};
        static const QByteArrayView kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
        int month = 0;
        for (int i = 0; i < 12; ++i)
        {
            if (monthName.toUpper() == kMonths[i])
                month = i + 1;
        }
        const QDate value(int(year), month, int(day));
        if (month == 0 || !value.isValid())
            m_cursor.fail(u"invalid date; expected dd-Mon-yyyy"_s);
        return value;
    }

    ImapParser& m_parser;
    Cursor& m_cursor;
    int m_count = 0;
};

} // namespace

bool ImapSearchKey::needsHeader() const
{
    if (kind == Kind::Header || kind == Kind::Text || kind == Kind::SentBefore || kind == Kind::SentOn ||
        kind == Kind::SentSince)
        return true;
    return std::any_of(children.cbegin(), children.cend(), [](const ImapSearchKey& c) { return c.needsHeader(); });
}

bool ImapSearchKey::needsBody() const
{
    if (kind == Kind::Body || kind == Kind::Text)
        return true;
    return std::any_of(children.cbegin(), children.cend(), [](const ImapSearchKey& c) { return c.needsBody(); });
}

ImapSearchProgram ImapSearchProgram::parse(ImapParser& parser)
{
    ImapSearchProgram program;
    Cursor& cursor = parser.cursor();
    parser.space();
    // RFC 4731 §3.1: RETURN (...) comes first; RETURN () means RETURN (ALL).
    if (cursor.present("RETURN"))
    {
        program.extended = true;
        parser.space();
        cursor.require("(");
        while (cursor.ok() && !cursor.present(")"))
        {
            const QByteArray option = parser.atom().toUpper();
            if (!cursor.ok())
                break;
            if (option == "MIN")
                program.returnOptions |= ReturnMin;
            else if (option == "MAX")
                program.returnOptions |= ReturnMax;
            else if (option == "ALL")
                program.returnOptions |= ReturnAll;
            else if (option == "COUNT")
                program.returnOptions |= ReturnCount;
            else if (option == "SAVE")
                program.returnOptions |= ReturnSave;
            else
                cursor.fail(u"unknown RETURN option %1"_s.arg(QString::fromLatin1(option)));
            if (cursor.next() != ')')
                parser.space();
        }
        if (program.returnOptions == 0)
            program.returnOptions = ReturnAll;
        parser.space();
    }
    if (cursor.present("CHARSET "))
    {
        program.charset = parser.astring().toUpper();
        parser.space();
    }
    program.key = parseKeys(parser);
    parser.end();
    return program;
}

ImapSearchKey ImapSearchProgram::parseKeys(ImapParser& parser)
{
    return SearchKeyReader(parser).keys();
}

bool ImapSearchProgram::isSupportedCharset(const QByteArray& charset)
{
    return charset.isEmpty() || charset == "UTF-8" || charset == "US-ASCII";
}

} // namespace promail
