// libFuzzer target for DataReader (RFC 5321 §4.1.1.4 DATA, §4.5.2 dot-unstuffing, §2.3.8 no
// bare CR/LF). Input: one byte n, then (n % 8) + 1 chunk-size bytes, then the DATA bytes; the
// data is fed in chunks of those sizes (cycled), as a socket may deliver it. Checks:
//  - feed() never consumes more than it is given, and takes everything while still reading;
//  - the state only moves Reading -> Finished or Reading -> BareLineEnding, and then nothing more
//    is read or written;
//  - the output never holds a bare CR or a bare LF;
//  - the result (output, state, bytes consumed) equals a simple line-by-line reference model
//    and the result of feeding the whole input at once: chunking never matters.
#include "protocols/smtp/datareader.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QByteArray>

using promail::DataReader;

namespace
{

void check(bool condition)
{
    if (!condition)
        std::abort();
}

struct Outcome
{
    QByteArray out;
    DataReader::State state = DataReader::State::Reading;
    qsizetype consumed = 0;
};

// The reader's contract written the obvious way: whole lines, then the unfinished tail.
Outcome reference(QByteArrayView input)
{
    Outcome r;
    qsizetype pos = 0;
    while (true)
    {
        qsizetype end = pos;
        while (end < input.size() && input.at(end) != '\r' && input.at(end) != '\n')
            ++end;
        QByteArrayView line = input.sliced(pos, end - pos);
        const bool dot = line.startsWith('.');
        const QByteArrayView content = dot ? line.sliced(1) : line;
        if (end == input.size())
        {
            r.out += content; // an unfinished line is passed on as it arrives
            r.consumed = input.size();
            return r;
        }
        if (input.at(end) == '\n')
        {
            r.out += content;
            r.state = DataReader::State::BareLineEnding;
            r.consumed = end + 1;
            return r;
        }
        if (end + 1 == input.size())
        {
            r.out += content; // CR waits for its LF
            r.consumed = input.size();
            return r;
        }
        if (input.at(end + 1) != '\n')
        {
            r.out += content;
            r.state = DataReader::State::BareLineEnding;
            r.consumed = end + 2;
            return r;
        }
        if (line == ".")
        {
            r.state = DataReader::State::Finished;
            r.consumed = end + 2;
            return r;
        }
        r.out += content;
        r.out += "\r\n";
        pos = end + 2;
    }
}

void checkLineEndings(const QByteArray& out)
{
    for (qsizetype i = 0; i < out.size(); ++i)
    {
        if (out.at(i) == '\r')
            check(i + 1 < out.size() && out.at(i + 1) == '\n');
        if (out.at(i) == '\n')
            check(i > 0 && out.at(i - 1) == '\r');
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    const qsizetype sizeCount = (data[0] % 8) + 1;
    if (qsizetype(size) < 1 + sizeCount)
        return 0;
    const uint8_t* sizes = data + 1;
    const QByteArrayView input(reinterpret_cast<const char*>(data + 1 + sizeCount), qsizetype(size) - 1 - sizeCount);

    DataReader reader;
    Outcome chunked;
    qsizetype at = 0;
    for (qsizetype n = 0; at < input.size(); ++n)
    {
        const qsizetype length = std::min<qsizetype>(sizes[n % sizeCount] + 1, input.size() - at);
        const DataReader::State before = reader.state();
        const qsizetype outBefore = chunked.out.size();
        const qsizetype used = reader.feed(input.sliced(at, length), chunked.out);
        check(used >= 0 && used <= length);
        check(chunked.out.size() >= outBefore);
        if (before != DataReader::State::Reading)
        {
            // Once finished or refused, nothing more is read or written, and the state stays.
            check(used == 0 && chunked.out.size() == outBefore && reader.state() == before);
        }
        else if (reader.state() == DataReader::State::Reading)
            check(used == length);
        chunked.consumed += used;
        at += length;
    }
    chunked.state = reader.state();
    checkLineEndings(chunked.out);

    DataReader whole;
    Outcome once;
    once.consumed = whole.feed(input, once.out);
    once.state = whole.state();

    const Outcome expected = reference(input);
    check(chunked.out == expected.out && chunked.state == expected.state && chunked.consumed == expected.consumed);
    check(once.out == expected.out && once.state == expected.state && once.consumed == expected.consumed);
    return 0;
}
