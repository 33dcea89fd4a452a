#pragma once

#include "message/mimetree.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace promail
{

class HeaderBlock;

// Splits a whole message into its MIME entities with exact byte offsets (RFC 2045, RFC 2046).
// Never fails. What cannot be read as a container becomes a leaf (MimePart::degraded):
// a multipart without a usable boundary or without any delimiter line, a message/rfc822 part
// in base64 or quoted-printable (RFC 2046 §5.2.1 forbids both), and any container past the
// limits. The limits bound the work on hostile input.
class MimeParser
{
public:
    static constexpr int kMaxDepth = 100;    // parts nest at most this deep below the message
    static constexpr int kMaxParts = 10000;  // entities per message, the message included
    static constexpr int kMaxBoundary = 200; // RFC 2046 §5.1.1 says 70; real mail exceeds it

    static MimeTree parse(QByteArrayView message);

private:
    // A "--boundary" line (RFC 2046 §5.1.1): where it starts and where the line after it starts.
    struct Delimiter
    {
        qsizetype lineStart;
        qsizetype next;
        bool closing;
    };

    explicit MimeParser(QByteArrayView message) : m_message(message) {}

    int addPart(qsizetype start, qsizetype end, int parent, int depth, bool inDigest);
    void readFields(const HeaderBlock& header, MimePart& part, bool inDigest);
    void splitMultipart(int index);
    void openMessage(int index);
    void degrade(int index, const QByteArray& type, const QByteArray& subtype);
    QList<Delimiter> findDelimiters(qsizetype start, qsizetype end, const QByteArray& boundary) const;
    bool hasRoom();

    QByteArrayView m_message;
    MimeTree m_tree;
};

} // namespace promail
