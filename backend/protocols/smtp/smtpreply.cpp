#include "protocols/smtp/smtpreply.h"

namespace promail
{

QByteArray SmtpReply::toWire() const
{
    QByteArray wire;
    const QByteArray number = QByteArray::number(code);
    for (qsizetype i = 0; i < lines.size(); ++i)
    {
        wire += number;
        wire += (i + 1 < lines.size()) ? '-' : ' ';
        // RFC 2034 §3: the enhanced code starts every line of a reply that has one.
        if (!enhanced.isEmpty())
            wire += enhanced + ' ';
        QByteArray text = lines.at(i).toUtf8();
        text.replace('\r', ' ').replace('\n', ' ');
        wire += text + "\r\n";
    }
    return wire;
}

} // namespace promail
