// libFuzzer target for the IMAP input path: arbitrary bytes through the command reader (split
// where the last byte says, as the socket might deliver them), then every complete command
// through the parser and the FETCH data-item parser; the same bytes as a compressed stream
// (RFC 4978) and as a base64 / quoted-printable body (RFC 3516 BINARY). Nothing may crash, and
// every limit must hold.
#include "message/transferencoding.h"
#include "protocols/imap/imapcommandreader.h"
#include "protocols/imap/imapdeflatestream.h"
#include "protocols/imap/imapfetchattribute.h"
#include "protocols/imap/imapparser.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace
{
void check(bool condition)
{
    if (!condition)
        std::abort();
}

void checkCommand(const QByteArray& command)
{
    promail::ImapParser parser(command);
    const QByteArray tag = parser.tag();
    parser.space();
    const QByteArray name = parser.atom().toUpper();
    if (!parser.ok())
        return;
    check(!tag.isEmpty() && !tag.contains('+') && !name.isEmpty());
    parser.space();
    // What a handler would read after its name: try the shapes the commands use.
    promail::ImapParser fetch(command);
    fetch.tag();
    fetch.space();
    fetch.atom();
    fetch.space();
    const promail::SequenceSet set = fetch.sequenceSet();
    if (fetch.ok())
        check(!set.isEmpty());
    fetch.space();
    const QList<promail::ImapFetchAttribute> items = promail::ImapFetchRequest::parse(fetch);
    check(fetch.ok() || items.isEmpty());
    for (const promail::ImapFetchAttribute& item : items)
    {
        check(!item.responseName().isEmpty());
        check(item.partialOffset < 0 || item.partialLength > 0);
    }
    promail::ImapParser strings(command);
    strings.tag();
    strings.space();
    strings.atom();
    while (strings.ok() && strings.present(" "))
    {
        if (strings.cursor().next() == '(')
            strings.flagList();
        else
            strings.astring();
    }
}

void checkReader(QByteArrayView input, qsizetype split)
{
    promail::ImapCommandReader reader(4096);
    reader.setMaxAppendLiteral(64 * 1024);
    QByteArray pending = input.first(split).toByteArray();
    bool second = false;
    for (int guard = 0; guard < 100000; ++guard)
    {
        const promail::ImapCommandReader::Event event = reader.feed(pending);
        if (event == promail::ImapCommandReader::Event::NeedMore)
        {
            if (second)
                return;
            pending += input.sliced(split);
            second = true;
            continue;
        }
        if (event == promail::ImapCommandReader::Event::Command)
        {
            check(reader.command().size() <= promail::ImapCommandReader::kMaxCommand + 64 * 1024 + 64);
            checkCommand(reader.command());
        }
        if (event == promail::ImapCommandReader::Event::LiteralTooLarge && reader.nonSynchronizing())
            return; // the session closes here
    }
    check(false); // the reader must always make progress
}

void checkDecoders(QByteArrayView input)
{
    const QByteArray base64 = promail::TransferEncoding::decodeBase64(input);
    check(base64.size() <= input.size() * 3 / 4 + 2);
    const QByteArray quoted = promail::TransferEncoding::decodeQuotedPrintable(input);
    check(quoted.size() <= input.size() * 2 + 2);
}

void checkInflate(QByteArrayView input)
{
    promail::ImapDeflateStream stream;
    check(stream.isValid());
    stream.addCompressed(input);
    qint64 total = 0;
    for (int round = 0; round < 64; ++round)
    {
        const QByteArray plain = stream.inflate(4096);
        check(plain.size() <= 4096);
        total += plain.size();
        if (plain.isEmpty())
            break;
    }
    check(total <= 64 * 4096);
    // Whatever came in, what we send must be a valid raw deflate stream of the same bytes.
    const QByteArray compressed = stream.compress(input);
    promail::ImapDeflateStream reader;
    reader.addCompressed(compressed);
    QByteArray roundTrip;
    for (QByteArray piece = reader.inflate(1 << 20); !piece.isEmpty(); piece = reader.inflate(1 << 20))
        roundTrip += piece;
    check(roundTrip == input);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const qsizetype split = size == 0 ? 0 : qsizetype(data[size - 1]) % qsizetype(size + 1);
    checkReader(input, split);
    checkDecoders(input);
    checkInflate(input);
    return 0;
}
