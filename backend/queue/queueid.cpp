#include "queue/queueid.h"

#include <QRandomGenerator>

#include <algorithm>
#include <atomic>
#include <chrono>

namespace promail
{

namespace
{
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kRandomDigits = 5;
constexpr int kTimeDigits = 11; // 55 bits of microseconds last until the year 3111
constexpr int kLength = kRandomDigits + kTimeDigits;

// The clock may stand still or step back (NTP); ids of this process keep increasing anyway.
quint64 uniqueMicroseconds()
{
    static std::atomic<quint64> last{0};
    const auto now = quint64(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    quint64 previous = last.load();
    quint64 next = 0;
    do
        next = now > previous ? now : previous + 1;
    while (!last.compare_exchange_weak(previous, next));
    return next;
}

void appendDigits(QString& id, quint64 value, int digits)
{
    for (int i = digits - 1; i >= 0; --i)
        id.append(QLatin1Char(kAlphabet[(value >> (5 * i)) & 31]));
}
} // namespace

QString newQueueId()
{
    QString id;
    id.reserve(kLength);
    appendDigits(id, QRandomGenerator::global()->generate64(), kRandomDigits);
    appendDigits(id, uniqueMicroseconds(), kTimeDigits);
    return id;
}

bool isQueueIdPrefix(QStringView text)
{
    if (text.size() > kLength)
        return false;
    const QLatin1StringView alphabet(kAlphabet, sizeof(kAlphabet) - 1);
    return std::all_of(text.begin(), text.end(), [&](QChar c) { return alphabet.contains(c); });
}

bool isQueueId(QStringView text)
{
    return text.size() == kLength && isQueueIdPrefix(text);
}

} // namespace promail
