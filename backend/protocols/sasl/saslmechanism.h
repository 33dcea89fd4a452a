#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringDecoder>

#include <memory>

namespace promail
{

// A server-side SASL exchange (RFC 4422) of a mechanism that ends in a user name and password
// checked against the mail directory. Protocols feed decoded client responses and send
// challenges back in their own framing (SMTP 334, IMAP "+").
class SaslMechanism
{
public:
    enum class Step
    {
        Challenge, // send challenge() and feed the next response
        Done,      // authcid() and password() are ready to be verified
        Failed,    // malformed exchange: error() says why
    };

    virtual ~SaslMechanism() = default;

    // Names this server offers: "PLAIN", "LOGIN".
    static QList<QByteArray> names();
    static std::unique_ptr<SaslMechanism> create(QByteArrayView name);

    // The client's first response is given by the client (SASL-IR / SMTP initial response) or
    // is empty; `present` says whether there was one.
    virtual Step start(const QByteArray& initialResponse, bool present) = 0;
    virtual Step respond(const QByteArray& response) = 0;

    QByteArray challenge() const { return m_challenge; }
    QString authcid() const { return m_authcid; }
    QString password() const { return m_password; }
    QString error() const { return m_error; }

protected:
    Step fail(const QString& why)
    {
        m_error = why;
        return Step::Failed;
    }

    QByteArray m_challenge;
    QString m_authcid;
    QString m_password;
    QString m_error;
};

} // namespace promail
